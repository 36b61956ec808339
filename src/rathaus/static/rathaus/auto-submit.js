// Sends a form marked `data-auto-submit` at once: the SAML response's hop back onto this
// site (identity/views.py). Without JavaScript the form's button does the same.
(function () {
  "use strict";
  const form = document.querySelector("form[data-auto-submit]");
  if (form) form.submit();
})();
