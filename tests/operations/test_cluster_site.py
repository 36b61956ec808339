"""deploy/nginx: the site a data centre copies is one nginx accepts, and its limits are
Rathaus' limits."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIB = 1024 * 1024


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leichlingen.example")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    cert, private = folder / "fullchain.pem", folder / "privkey.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, private


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_nginx_accepts_the_production_site(tmp_path):
    """`nginx -t` of deploy/nginx/rathaus.conf as Debian's nginx.conf includes it, with
    only the placeholders (certificate, snippet and log paths) pointed at a scratch
    folder."""
    cert, private = self_signed(tmp_path)
    snippet = tmp_path / "rathaus-proxy.conf"
    shutil.copy(SITE / "rathaus-proxy.conf", snippet)
    site = (SITE / "rathaus.conf").read_text()
    for placeholder, here in (("/etc/nginx/snippets/rathaus-proxy.conf", snippet),
                              ("/etc/ssl/rathaus/fullchain.pem", cert),
                              ("/etc/ssl/rathaus/privkey.pem", private),
                              ("/var/log/nginx/", f"{tmp_path}/")):
        assert placeholder in site
        site = site.replace(placeholder, str(here))
    (tmp_path / "rathaus.conf").write_text(site)
    temp = "\n".join(f"{kind}_temp_path {tmp_path}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\n{temp}\ninclude {tmp_path}/rathaus.conf;\n}}\n")
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c",  # noqa: S603
                              str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


def body_limits() -> list[int]:
    """client_max_body_size of the site's locations, in MiB."""
    text = (SITE / "rathaus-proxy.conf").read_text()
    return [int(m) for m in re.findall(r"^\s*client_max_body_size (\d+)m;", text, re.M)]


def test_the_body_limits_let_rathaus_answer_too_large_requests_itself():
    """nginx lets through everything Rathaus takes, and only a little more, so that
    Rathaus' own 413 page (German, with what to do) answers a too large upload."""
    general, open_data = body_limits()
    for limit, takes in ((general, settings.RATHAUS_UPLOAD_MAX_TOTAL_BYTES),
                         (open_data, settings.RATHAUS_OPENDATA_MAX_UPLOAD_BYTES)):
        request = takes + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        assert request <= limit * MIB <= request + 2 * MIB


def test_the_site_never_serves_the_storage_directory():
    text = "\n".join(path.read_text() for path in SITE.glob("*.conf"))
    assert "storage" not in re.sub(r"#.*", "", text)
    # The one root that maps requests onto Rathaus' disk serves /static/ only (see
    # rathaus-proxy.conf); the other is the certificate challenges' folder.
    assert sorted(re.findall(r"^\s*(?:root|alias) (\S+);", text, re.M)) == [
        "/var/lib/rathaus", "/var/www/letsencrypt"]
