from django.conf import settings
from django.core.management.base import BaseCommand

from rathaus.demo.loader import load_demo


class Command(BaseCommand):
    help = "Loads the demo authorities, departments and accounts (once)."

    def handle(self, *args, **options):
        credentials = load_demo()
        file = settings.VAR_DIR / "demo-credentials.txt"
        if credentials is None:
            if file.exists():
                self.stdout.write(f"Demo-Daten vorhanden. Zugangsdaten: {file}")
            return
        # Accounts a later version added to a demo loaded before: their lines go to the
        # end of the file, which keeps the others' credentials.
        added = file.exists() and all(e.get("added_to_existing_demo") for e in credentials)
        lines = [] if added else ["Demo-Zugänge (alle Personen sind erfunden):", ""]
        for entry in credentials:
            if entry["kind"] == "staff":
                lines.append(
                    f"  Verwaltung  {entry['email']:<45} Passwort {entry['password']}  "
                    f"TOTP-Schlüssel {entry['totp_secret']}  ({entry['authority']})"
                )
            elif entry["kind"] == "firm":
                lines.append(
                    f"  Firma       {entry['email']:<45} Passwort {entry['password']}  "
                    f"TOTP-Schlüssel {entry['totp_secret']}  ({entry['authority']})"
                )
            elif entry["kind"] == "councillor":  # the council's reading room
                lines.append(
                    f"  Ratsmandat  {entry['email']:<45} Passwort {entry['password']}  "
                    f"TOTP-Schlüssel {entry['totp_secret']}  (/ratsinfo/mandat/)"
                )
            else:
                lines.append(f"  Bürgerin    {entry['email']:<45} Passwort {entry['password']}")
        if added:
            with file.open("a") as existing:
                existing.write("\n".join(lines) + "\n")
            self.stdout.write("\n".join(lines) + f"\nHinzugefügt zu {file}")
            return
        lines += [
            "",
            "  Portal:      http://127.0.0.1:8000/",
            "  Verwaltung:  http://127.0.0.1:8000/verwaltung/",
            "  Kreis:       http://rbk.localhost:8000/verwaltung/",
            "  Aktueller TOTP-Code eines Demo-Zugangs:  .venv/bin/rathaus demo_totp E-MAIL",
        ]
        text = "\n".join(lines) + "\n"
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
        file.chmod(0o600)
        self.stdout.write(text)
        self.stdout.write(f"Gespeichert in {file}")
