"""The field app's sync (ADR 0039): a phone back online sends its offline batch of 50
inspections, each with a small photo, to /verwaltung/kontrolle/senden/ the way
field-queue.js does: a GET for the CSRF token, then one multipart POST per inspection,
two at a time. Target: the whole batch in < 5 s. Sending the batch again (every answer
"duplicate") is measured too, and the instance is asked afterwards that each
inspection and each photo is stored exactly once.

A fresh instance (`rathaus setup`, SQLite or a scratch PostgreSQL database with
--database-url) served by gunicorn as `rathaus serve` serves it (2 workers); the
inspector is a staff member of the Grünflächen with a TOTP device made for the run.
"""

import hashlib
import hmac
import http.client
import io
import json
import os
import struct
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import _instance
from _instance import (
    Browser,
    gunicorn,
    instance_env,
    postgres_server,
    run_child,
    scratch_database,
    tree_cpu_seconds,
)

BATCH = 50
TARGET_SECONDS = 5.0
INSPECTOR = "bench-kontrolle@leichlingen.example"
PASSWORD = "Bench-Kontrolle-2026!"
SYNC = "/verwaltung/kontrolle/senden/"
PARALLEL = 2  # as field-queue.js sends


def run(options) -> list[dict]:
    server_url = postgres_server(options)
    database = "postgresql" if server_url else "sqlite"
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var")
        if server_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
        _instance.setup(env, tmp)
        print(f"   an inspector and {BATCH} pieces of play equipment …", flush=True)
        prepared = run_child(__file__, ["prepare", str(BATCH)], env, tmp, timeout=300)
        base, server_pid = stack.enter_context(gunicorn(env, tmp))

        phone = Browser(base)
        _log_in(phone, prepared["totp_key"])
        batch = [_queued(asset) for asset in prepared["assets"]]

        print(f"   {BATCH} inspections with photos, {PARALLEL} POSTs at a time …", flush=True)
        load = os.getloadavg()[0]
        cpu_before = tree_cpu_seconds(server_pid)
        first, first_answers = _send(phone, batch)
        server_cpu = tree_cpu_seconds(server_pid) - cpu_before
        again, again_answers = _send(phone, batch)
        check = run_child(__file__, ["verify", json.dumps([i["client_id"] for i in batch])],
                          env, tmp, timeout=120)

    created = sum(1 for status in first_answers if status == "created")
    duplicates = sum(1 for status in again_answers if status == "duplicate")
    once = check["inspections"] == BATCH and check["photos"] == BATCH
    return [
        {"metric": f"field sync: {BATCH} offline inspections with a photo ({database})",
         "value": round(first, 2), "unit": "s", "target": f"< {TARGET_SECONDS:g} s",
         "ok": first < TARGET_SECONDS and created == BATCH},
        {"metric": "field sync: per inspection", "value": round(first / BATCH * 1000),
         "unit": "ms"},
        # What the batch costs the server, whatever else the machine is doing: divided by
        # the workers, the wall time on an otherwise idle machine.
        {"metric": "field sync: server CPU for the batch (gunicorn, all workers)",
         "value": round(server_cpu, 2), "unit": "s"},
        {"metric": "field sync: the same batch sent again (all duplicates)",
         "value": round(again, 2), "unit": "s", "ok": duplicates == BATCH},
        {"metric": "field sync: machine load (1-minute average) before sending",
         "value": round(load, 1), "unit": ""},
        {"metric": "field sync: inspections and photos stored (each once)",
         "value": f"{check['inspections']}/{check['photos']}", "unit": f"of {BATCH}",
         "ok": once},
    ]


def _totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 with django-otp's defaults (SHA-1, 30 s, 6 digits)."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def _log_in(phone: Browser, key_hex: str) -> None:
    phone.request("GET", "/verwaltung/anmelden/")
    status, location, _ms = phone.post("/verwaltung/anmelden/", {
        "username": INSPECTOR, "password": PASSWORD, "otp_token": _totp(key_hex)})
    if status != 302:
        raise RuntimeError(f"the inspector's login answered {status}")


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (60, 140, 60)).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _queued(asset: dict) -> dict:
    """An inspection as field-queue.js keeps it: its fields and its photo."""
    return {"client_id": str(uuid.uuid4()), "asset": str(asset["pk"]),
            "seen_version": str(asset["version"]), "kind": "routine", "condition": "ok",
            "inspected_at": datetime.now(UTC).isoformat(), "notes": "",
            "finding1_description": "Kette verschlissen", "finding1_risk": "1",
            "finding1_measure": "Kette tauschen", "photo": _photo()}


def _multipart(item: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in item.items():
        if name == "photo":
            continue
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                     f"\r\n\r\n{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                 f'filename="foto.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                 + item["photo"] + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _post(phone: Browser, token: str, item: dict) -> str:
    payload, content_type = _multipart(item)
    conn = http.client.HTTPConnection(phone.host, phone.port, timeout=30)
    try:
        conn.request("POST", SYNC, body=payload, headers={
            "Host": f"{phone.host}:{phone.port}", "Cookie": phone._cookie_header(),
            "Content-Type": content_type, "X-CSRFToken": token,
            "Referer": f"http://{phone.host}:{phone.port}/verwaltung/kontrolle/",
            "Accept": "application/json"})
        response = conn.getresponse()
        answer = json.loads(response.read() or b"{}")
    finally:
        conn.close()
    return answer.get("status", str(response.status))


def _send(phone: Browser, batch: list[dict]) -> tuple[float, list[str]]:
    """The queue's flush: a GET for the CSRF token, then the POSTs, PARALLEL at a time
    (each asset's in order; here every inspection has an asset of its own). Returns
    the seconds it took and each answer's status."""
    started = time.perf_counter()
    body = []
    status, _location, _ms = phone.request("GET", SYNC, body_out=body)
    if status != 200:
        raise RuntimeError(f"the sync endpoint's GET answered {status}")
    token = json.loads(body[0])["csrf"]
    with ThreadPoolExecutor(PARALLEL) as pool:
        answers = list(pool.map(lambda item: _post(phone, token, item), batch))
    return time.perf_counter() - started, answers


# --- The child: Django set up against the instance ------------------------------------

def prepare(count: int) -> dict:
    """The inspector (Grünflächen, TOTP) and `count` pieces of play equipment on a
    playground of their own."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rathaus.accounts.models import StaffMembership, User
    from rathaus.assets import services
    from rathaus.assets.demo import set_up_demo_cadastres
    from rathaus.assets.models import Cadastre
    from rathaus.authorities.models import Authority, Department
    from rathaus.authorities.tenancy import authority_context

    town = Authority.objects.get(slug="leichlingen")
    with authority_context(town):
        set_up_demo_cadastres()
        department = Department.objects.get(slug="gruenflaechen")
        user = User.objects.create_user(INSPECTOR, PASSWORD, first_name="Bench",
                                        last_name="Kontrolle", kind=User.Kind.STAFF)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        StaffMembership.objects.create(user=user, department=department, role="clerk")
        cadastre = Cadastre.objects.get(name="playgrounds")
        playground = services.create_asset(
            actor=user, cadastre=cadastre, kind="playground", number="BENCH-SP",
            name="Bench-Spielplatz", lon=7.02, lat=51.12)
        assets = []
        for number in range(count):
            piece = services.create_asset(
                actor=user, cadastre=cadastre, kind="play_equipment",
                number=f"BENCH-SP-{number:03d}", type="schaukel", lon=7.02, lat=51.12,
                parent=playground, attributes={"en1176_part": "2", "manufacturer": "Bench"})
            assets.append({"pk": piece.pk, "version": piece.version})
    return {"totp_key": device.key, "assets": assets}


def verify(client_ids: list[str]) -> dict:
    from rathaus.assets.models import Inspection, Photo

    rows = Inspection.all_authorities.filter(client_id__in=client_ids)
    return {"inspections": rows.count(),
            "photos": Photo.all_authorities.filter(inspection__in=rows).count()}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        import django

        django.setup()
        argument = sys.argv[3]
        step = {"prepare": lambda: prepare(int(argument)),
                "verify": lambda: verify(json.loads(argument))}[sys.argv[2]]
        print(json.dumps(step()))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "field_sync", *sys.argv[1:]]))
