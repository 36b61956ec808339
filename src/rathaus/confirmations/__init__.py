"""Confirmations by a third party without an account (a landlord, §19 BMG): a one-time
link by e-mail, or a code the party gets first and the applicant enters. A block: it
reads a service definition's `third_party_confirmation` and knows no service."""
