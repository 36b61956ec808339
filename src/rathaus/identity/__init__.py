"""Identity: Rathaus as a SAML 2.0 service provider (BundID and the online ID card),
the login levels the identity provider vouches for, and a test identity provider for
the demo and the tests (docs/decisions/0028)."""
