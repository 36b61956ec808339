"""The authorization matrix: what every kind of visitor gets from every URL, by GET and
by POST (POSTs carry a valid CSRF token, so the row shows the permission itself).
test_authorization_matrix.py asks each cell and compares.

Visitors (columns), the `world` fixture (built in tests/factories.py):

  anon   nobody logged in
  A      citizen A, who owns the case, the draft, the dog and the message in the URLs
  B      citizen B, asking for A's things
  steu   clerk of the Steueramt, the department deciding A's case
  ordn   clerk of the Ordnungsamt, which has a task on A's case but does not decide
  buero  clerk of the Bürgerbüro, without a task on A's case
  lead   team lead of the Steueramt
  admin  administrator of the Bürgerbüro
  kreis  staff of another authority (the Kreis), on the Kreis's host, asking for the
         town's ids
  kr@st  the same Kreis session sent to the town's (Stadt's) host

Answers:

  200, 303, 400, 403, 404, 405 …  that status (302: redirected elsewhere, no error)
  login  redirected to the citizen login (/konto/anmelden/)
  staff  redirected to the staff login of the office (/verwaltung/anmelden/)
  no     an error message and no change (a 200 page or a redirect): refused, told why

A URL without a row fails the suite. A row is the URL's name (with namespace), or its
route for an unnamed URL, then the method, then one answer per visitor, or a single
answer that every visitor gets. The test prints the row it would expect, with the
answers it got: check each answer is right before pasting it.
"""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DISPENSERS, HOLDER, NEW_DATASET, PASSWORD, current_totp

LOGIN = "login"
OFFICE_LOGIN = "staff"
REFUSED = "no"

COLUMNS = ("anon", "A", "B", "steu", "ordn", "buero", "lead", "admin", "kreis", "kr@st")

TABLE = """
URL                                   anon  A     B     steu  ordn  buero lead  admin kreis kr@st
# Probes and metrics (rathaus.operations): for load balancers and Prometheus, the same
# for everyone; the world has no worker running, so it is not ready; the test client
# asks from 127.0.0.1, which may read the metrics (others get 404: test_metrics.py)
operations:health                GET  200
                                 POST 405
operations:ready                 GET  503
                                 POST 405
operations:metrics               GET  200
                                 POST 405
# The portal: public pages, then the citizen's application, case and dog (A's ids)
portal:home                      GET  200
                                 POST 200
# The finder's suggestions: a fragment for htmx; without its header, the results page
portal:search_suggestions        GET  302
                                 POST 405
portal:imprint                   GET  200
                                 POST 200
portal:privacy                   GET  200
                                 POST 200
portal:accessibility             GET  200
                                 POST 200
# Lebenslagen: the town offers the dog registration (life event "hund")
portal:life_events               GET  200
                                 POST 200
portal:life_event                GET  200   200   200   200   200   200   200   200   404   200
                                 POST 200   200   200   200   200   200   200   200   404   200
# Leichte Sprache: the portal's page and the service's (the town's service)
portal:easy_language             GET  200
                                 POST 200
portal:service_easy_language     GET  200   200   200   200   200   200   200   200   404   200
                                 POST 200   200   200   200   200   200   200   200   404   200
portal:service                   GET  200   200   200   200   200   200   200   200   404   200
                                 POST 200   200   200   200   200   200   200   200   404   200
portal:start                     GET  login 405   405   login login login login login login login
                                 POST login 302   302   login login login login login login login
portal:step                      GET  login 200   404   login login login login login login login
                                 POST login 302   404   login login login login login login login
portal:summary                   GET  login 200   404   login login login login login login login
                                 POST login 200   404   login login login login login login login
portal:send                      GET  login 405   405   login login login login login login login
                                 POST login 302   404   login login login login login login login
portal:discard                   GET  login 405   405   login login login login login login login
                                 POST login 302   404   login login login login login login login
portal:case                      GET  login 200   404   login login login login login login login
                                 POST login 302   404   login login login login login login login
portal:forwarded                 GET  login 200   404   login login login login login login login
                                 POST login 405   405   login login login login login login login
portal:deregister_dog            GET  login 200   404   login login login login login login login
                                 POST login 302   404   login login login login login login login
portal:deregister_dog_check      GET  login 302   404   login login login login login login login
                                 POST login 302   404   login login login login login login login
portal:dog_deregistered          GET  login 302   404   login login login login login login login
                                 POST login 302   404   login login login login login login login
portal:case_receipt              GET  login 200   404   login login login login login login login
                                 POST login 200   404   login login login login login login login
# The satisfaction check: A's case is not finished yet, so A is told so
portal:rate_case                 GET  login 405   405   login login login login login login login
                                 POST login no    404   login login login login login login login
# The playgrounds' public pages: the list for everyone (each authority its own); the
# world has no playground numbered 1, so its page is a 404; pages to read only (POST: 405)
playgrounds:list                 GET  200
                                 POST 405
playgrounds:detail               GET  404
                                 POST 405
# The grave search: a page for everyone (the Kreis has no cemetery: nothing found), to
# read only
grave_search:search              GET  200
                                 POST 405
# Schaden melden: anyone reports damage in the town's cadastres (the Kreis has none:
# 404); the status page opens only with a report's token (the world's token is none)
damage:report                    GET  200   200   200   200   200   200   200   200   404   200
                                 POST 302   302   302   302   302   302   302   302   404   302
damage:status                    GET  404
                                 POST 405
# The mailbox: A's message, its attachment and its receipt
mailbox:inbox                    GET  login 200   200   login login login login login login login
                                 POST 405
mailbox:message                  GET  login 200   404   login login login login login login login
                                 POST 405
mailbox:attachment               GET  login 200   404   login login login login login login login
                                 POST 405
mailbox:receipt                  GET  login 200   404   login login login login login login login
                                 POST 405
# Art. 15: each citizen asks for and sees only their own copy (the copy itself is a
# mailbox message: B gets 404 for A's, above)
portal:data_copy                 GET  login 200   200   login login login login login login login
                                 POST login 302   302   login login login login login login login
# The citizen account
accounts:overview                GET  login 200   200   login login login login login login login
                                 POST login 200   200   login login login login login login login
accounts:register                GET  200   302   302   200   200   200   200   200   200   200
                                 POST 302
accounts:registered              GET  200
                                 POST 200
accounts:verify_email            GET  200
                                 POST 200
accounts:login                   GET  200   302   302   200   200   200   200   200   200   200
                                 POST 302
accounts:login_code              GET  login
                                 POST login
accounts:logout                  GET  405
                                 POST 302
accounts:profile                 GET  login 200   200   login login login login login login login
                                 POST login 302   302   login login login login login login login
accounts:two_factor              GET  login 200   200   login login login login login login login
                                 POST login 200   200   login login login login login login login
accounts:access_log              GET  login 200   200   login login login login login login login
                                 POST login 200   200   login login login login login login login
accounts:access_proof            GET  login 200   404   login login login login login login login
                                 POST 405
# The firm access's invitation (ADR 0041): the world's token is no invitation
accounts:firm_invitation         GET  400
                                 POST 400
accounts:password_reset          GET  200
                                 POST 302
accounts:password_reset_done     GET  200
                                 POST 405
accounts:password_reset_confirm  GET  302
                                 POST 302
accounts:password_reset_complete GET  200
                                 POST 405
# The SAML login: public metadata; the login goes to the identity provider (302); the
# ACS refuses a POST without a valid signed response (400), after posting it once more
# from this site when the session cookie is missing (anon: 200); the test identity provider
# refuses a visit without a signed login request of the portal (400)
identity:metadata                GET  200
                                 POST 405
identity:login                   GET  302
                                 POST 405
identity:acs                     GET  405
                                 POST 200   400   400   400   400   400   400   400   400   400
identity:test_idp_metadata       GET  200
                                 POST 405
identity:test_idp_sso            GET  400
                                 POST 400
# A third party's confirmation (rathaus.confirmations): no account; a token that opens
# nothing is the same 404 for everybody; the issue page exists only for a service with a
# confirmation (the world's town offers the dog registration only)
confirmations:request            GET  404
                                 POST 404
confirmations:answered           GET  200
                                 POST 200
confirmations:issue              GET  404
                                 POST 404
# Whether a chosen plate is free is public, as on every district's page
vehicles:plate_check             GET  200
                                 POST 200
# Open data in the office: any staff member prepares, team leads and administrators
# release; the dataset is the town's
opendata_office:list             GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 200   200   200   200   200   200   staff
opendata_office:create           GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 302   302   302   302   302   302   staff
opendata_office:dataset          GET  staff staff staff 200   200   200   200   200   404   staff
                                 POST staff staff staff 200   200   200   200   200   404   staff
opendata_office:edit             GET  staff staff staff 200   200   200   200   200   404   staff
                                 POST staff staff staff 302   302   302   302   302   404   staff
opendata_office:upload_file      GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   302   302   302   302   404   staff
opendata_office:upload           GET  staff staff staff 200   200   200   200   200   404   staff
                                 POST staff staff staff no    no    no    302   302   404   staff
opendata_office:upload_discard   GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   302   302   302   302   404   staff
opendata_office:publish          GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff no    no    no    302   302   404   staff
opendata_office:unpublish        GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff no    no    no    302   302   404   staff
# The office: A's case has tasks for the Steueramt (deciding) and the Ordnungsamt
office:basket                    GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 200   200   200   200   200   200   staff
office:login                     GET  200
                                 POST 302   302   302   302   302   302   302   302   200   302
office:logout                    GET  405
                                 POST staff
office:switch_department         GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   no    no    302   no    no    staff
# The components page for developers: any staff member of the authority
office:components                GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 200   200   200   200   200   200   staff
office:failed_tasks              GET  staff staff staff 404   404   404   200   200   404   staff
                                 POST staff staff staff 404   404   404   200   200   404   staff
office:retry_task                GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   302   302   404   staff
# The satisfaction check's results and comments: team leads and administrators
office:satisfaction              GET  staff staff staff 404   404   404   200   200   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The audit log: the authority's administrators only (it spans every department)
# The firms with a firm access (ADR 0041): the world's firm was admitted by the Steueramt;
# no department of the world runs a service open to firms, so nobody admits one here
office_firms:list                GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office_firms:admit               GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
office_firms:add_person          GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
office_firms:end_firm            GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   404   404   302   404   404   staff
office_firms:end_person          GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   404   404   302   404   404   staff
office:audit_log                 GET  staff staff staff 404   404   404   404   200   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The services to export and adopt (Einer für Alle): administrators only
office:catalogue                 GET  staff staff staff 404   404   404   404   200   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:adopt_service             GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   400   404   staff
office:fim_draft                 GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   400   404   staff
office:export_service            GET  staff staff staff 404   404   404   404   200   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:give_up_adopted_service   GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   no    404   staff
office:case                      GET  staff staff staff 200   200   404   200   404   404   staff
                                 POST staff staff staff 200   200   404   200   404   404   staff
office:case_action               GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   302   404   302   404   404   staff
office:case_document             GET  staff staff staff 200   200   404   200   404   404   staff
                                 POST staff staff staff 200   200   404   200   404   404   staff
# Incoming mail: every staff member has an intake (the POST without files: 400); the
# item is the Steueramt's letter, only its staff (and records managers) reach it; retrying
# a letter that was read is refused with a message
office:intake                    GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 400   400   400   400   400   400   staff
office:intake_item               GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:intake_file               GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
office:intake_discard            GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
office:intake_retry              GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff no    404   404   no    404   404   staff
office:intake_original           GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:intake_pdf                GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The eAkte: any staff member sees the file plan; A's case file is the Steueramt's, so
# only its staff read it (404 for the others); keeping the plan and the integrity checks
# are the Registratur's (403 for every visitor here, tested with a records manager in
# tests/office/test_files_pages.py)
office:file_plan                 GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:plan_entry                GET  staff staff staff 200   200   200   200   200   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:plan_entry_new            GET  staff staff staff 403   403   403   403   403   403   staff
                                 POST staff staff staff 403   403   403   403   403   403   staff
office:plan_entry_edit           GET  staff staff staff 403   403   403   403   403   403   staff
                                 POST staff staff staff 403   403   403   403   403   403   staff
office:integrity_runs            GET  staff staff staff 403   403   403   403   403   403   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:case_file                 GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:add_note                  GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   404   404   302   404   404   staff
office:move_document             GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 302   404   404   302   404   404   staff
office:document_version          GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The eAkte's search: every staff member of the authority searches (each finds only the
# files of their departments, tests/records/test_search.py); the Kreis's staff search
# their own authority's files on its host
office:search_files              GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The Aussonderung: records managers only (none among the columns), a 404 for other staff
office:archive                   GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:archive_start             GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
office:archive_deletions         GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:legal_hold                GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
office:archive_process           GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:archive_offer_download    GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:archive_package           GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
office:archive_upload            GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
office:archive_handover          GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
office:archive_destroy           GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
# The resident register: the Bürgerbüro's staff (buero, admin) only, a 404 for the others
office:register_search           GET  staff staff staff 404   404   200   404   200   404   staff
                                 POST staff staff staff 404   404   200   404   200   404   staff
office:register_person           GET  staff staff staff 404   404   200   404   200   404   staff
                                 POST staff staff staff 404   404   200   404   200   404   staff
# Open data for everyone: the town's published dataset, its APIs and DCAT-AP.de
opendata:catalogue               GET  200
                                 POST 200
opendata:dataset                 GET  200   200   200   200   200   200   200   200   404   200
                                 POST 200   200   200   200   200   200   200   200   404   200
opendata:csv                     GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
opendata:json                    GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
opendata:geojson                 GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
ckan_action                      GET  200   200   200   200   200   200   200   200   404   200
                                 POST 200   200   200   200   200   200   200   200   404   200
ckan_action_unversioned          GET  200   200   200   200   200   200   200   200   404   200
                                 POST 200   200   200   200   200   200   200   200   404   200
ogc:landing                      GET  200
                                 POST 405
ogc:openapi                      GET  200
                                 POST 405
ogc:conformance                  GET  200
                                 POST 405
ogc:collections                  GET  200
                                 POST 405
ogc:collection                   GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
ogc:queryables                   GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
ogc:items                        GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
ogc:item                         GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
# Any other path under /ogc/: an OGC exception (JSON), whatever the method
ogc:unknown                      GET  404
                                 POST 404
dcat:catalog_resource            GET  303
                                 POST 405
dcat:catalog                     GET  200
                                 POST 405
dcat:dataset_resource            GET  303   303   303   303   303   303   303   303   404   303
                                 POST 405
dcat:dataset                     GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
# The field app: the route and conflicts of whoever keeps cadastres (empty for the
# others); the Steueramt keeps the world's trees, so its clerk and team lead inspect
# the tree, and a valid inspection is stored (the sync endpoint answers JSON: 403
# without a staff session, 404 for an asset of a cadastre the visitor does not keep).
# Manifest, service worker and icons are the same for everybody.
field:route                      GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
field:inspect                    GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 302   404   404   302   404   404   staff
# Nothing of the visitors' waits for a decision here: refused, told why
field:conflicts                  GET  staff staff staff 200   200   200   200   200   200   staff
                                 POST staff staff staff no    no    no    no    no    no    staff
field:sync                       GET  403   403   403   200   200   200   200   200   200   403
                                 POST 403   403   403   201   404   404   201   404   404   403
field:manifest                   GET  200
                                 POST 405
field:service_worker             GET  200
                                 POST 405
field:icon_small                 GET  200
                                 POST 405
field:icon_large                 GET  200
                                 POST 405
# The tree import: only the keepers of the trees cadastre (the Steueramt's clerk and team
# lead in this world), a 404 for other staff; the POST without a file: 400. The world
# has no import, so its preview, confirmation and result are 404 even for the keepers
# (tested with an import in tests/fieldapp/test_import_pages.py)
cadastre_import:upload           GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
cadastre_import:preview          GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre_import:run              GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
cadastre_import:result           GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The cemetery plan import: only the keepers of the cemetery cadastre (the Ordnungsamt in
# this world), a 404 for other staff; the POST without a file: 400. A preview lives in
# its uploader's session, so the world's ids name none: 404 even for the keepers
# (tested with an import in tests/cemeteries/test_import.py)
cemetery_import:upload           GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 404   400   404   404   404   404   staff
cemetery_import:preview          GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_import:run              GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
cemetery_import:result           GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The cadastres in the office: the Steueramt keeps the world's trees and its team, so its
# clerk and team lead see the overview, the assets, the tree, the due list (and CSV), the
# extra inspections, the work orders and the photo; other staff get 404 (nothing of
# another department's cadastre is revealed). The POSTs without values: 400. The
# Ordnungsamt keeps the world's cemeteries, so the overview (of the cadastres one keeps)
# opens for its clerk too
cadastre:overview                GET  staff staff staff 200   200   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre:assets                  GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre:asset                   GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre:change_asset            GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
cadastre:create_work_order       GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
cadastre:due                     GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre:due_csv                 GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre:plan_extra              GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
cadastre:work_orders             GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre:work_order              GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cadastre:finish_work_order       GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 400   404   404   400   404   404   staff
cadastre:photo                   GET  staff staff staff 200   404   404   200   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
# The Friedhofsverwaltung's pages: the Ordnungsamt keeps the world's cemetery cadastre,
# so only its clerk sees the overview, the lists, the field plan, the grave and the bylaw;
# other staff get 404. The world's grave is free with no right: writing the letters
# (none due) and clearing redirect, the consent is refused (no right: told why); the
# extension and the grant without values are 400
cemetery_office:overview         GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_office:rights_ending    GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_office:write_letters    GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   302   404   404   404   404   staff
cemetery_office:rest_ending      GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_office:to_clear         GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_office:field            GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_office:grave            GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_office:mark_cleared     GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   302   404   404   404   404   staff
cemetery_office:extend           GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   400   404   404   404   404   staff
cemetery_office:consent          GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   no    404   404   404   404   staff
cemetery_office:grant            GET  staff staff staff 405   405   405   405   405   405   staff
                                 POST staff staff staff 404   400   404   404   404   404   staff
cemetery_office:bylaw            GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 405   405   405   405   405   405   staff
cemetery_office:grave_type       GET  staff staff staff 404   200   404   404   404   404   staff
                                 POST staff staff staff 404   400   404   404   404   404   staff
# The booking of a burial applied for online: only for a case of Bestattung anmelden,
# by its deciding department; the world's case is a dog's, so every staff member gets
# the 404 of a case that is not there
cemetery_booking:booking         GET  staff staff staff 404   404   404   404   404   404   staff
                                 POST staff staff staff 404   404   404   404   404   404   staff
# Whole site
switch_language                  GET  302
                                 POST 302
receipt_keys                     GET  200
                                 POST 405
# The audit log's signed tree heads and consistency proofs (public; 400 without a query)
audit_tree_heads                 GET  200
                                 POST 405
audit_consistency                GET  400
                                 POST 405
# The hand-over between authorities: the published keys of the host's authority (the
# Kreis asks for the town's slug on its own host: 404), and the door for hand-overs
# from other instances, which takes JSON only (a form post: 415)
handover_keys                    GET  200
                                 POST 405
handover:key_set                 GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
handover:submissions             GET  405
                                 POST 415   415   415   415   415   415   415   415   404   415
# The maps' data (GET ?zoom=12): the public map for everyone on the town's host (the
# Kreis has no trees cadastre: 404); the keepers' map for staff of the Steueramt, which
# keeps it in this world (a team lead too), 403 for other departments' staff
maps:points                      GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
maps:staff_points                GET  staff staff staff 200   403   403   200   403   404   staff
                                 POST 405
# The public tree map and list (the Kreis has no trees cadastre); a tree's page: the
# world's tree is "B-1", so /baeume/1/ is no tree (tests/maps/test_tree_pages.py)
trees:list                       GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
trees:detail                     GET  404
                                 POST 405
# The security contact: the town's; the Kreis has none in this world
security_txt                     GET  200   200   200   200   200   200   200   200   404   200
                                 POST 405
# Working time (issue 20): the Steueramt's clerk (steu) and the Ordnungsamt's (ordn)
# record time, each in a team of their own; the Steueramt's team lead leads steu's team;
# the Bürgerbüro is HR (buero and admin). Ids are steu's entry, absence, month and team;
# the world's month has no sheet yet, so the sheet is not found for anyone. POSTs carry
# no fields: forms answer 400 or a message ("no").
worktime:home                    GET  staff staff staff 200   200   302   302   302   404   staff
worktime:home                    POST staff staff staff 405   405   405   405   405   405   staff
worktime:clock                   GET  staff staff staff 405   405   405   405   405   405   staff
worktime:clock                   POST staff staff staff no    no    404   404   404   404   staff
worktime:clock_sync              GET  403   403   403   200   200   200   200   200   200   403
worktime:clock_sync              POST 403   403   403   400   400   404   404   404   404   403
worktime:month_now               GET  staff staff staff 302   302   302   302   302   302   staff
worktime:month_now               POST staff staff staff 405   405   405   405   405   405   staff
worktime:month                   GET  staff staff staff 200   200   404   404   404   404   staff
worktime:month                   POST staff staff staff no    302   404   404   404   404   staff
worktime:entry_new               GET  staff staff staff 200   200   404   404   404   404   staff
worktime:entry_new               POST staff staff staff 400   400   404   404   404   404   staff
worktime:entry_change            GET  staff staff staff 200   404   404   404   404   404   staff
worktime:entry_change            POST staff staff staff 400   404   404   404   404   404   staff
worktime:entry_remove            GET  staff staff staff 405   405   405   405   405   405   staff
worktime:entry_remove            POST staff staff staff 400   404   404   404   404   404   staff
worktime:access_log              GET  staff staff staff 200   200   200   200   200   200   staff
worktime:access_log              POST staff staff staff 405   405   405   405   405   405   staff
worktime:manifest                GET  200
worktime:manifest                POST 405
worktime:service_worker          GET  200
worktime:service_worker          POST 405
worktime:icon_small              GET  200
worktime:icon_small              POST 405
worktime:icon_large              GET  200
worktime:icon_large              POST 405
worktime:absences                GET  staff staff staff 200   200   404   404   404   404   staff
worktime:absences                POST staff staff staff 405   405   405   405   405   405   staff
worktime:absence_request         GET  staff staff staff 405   405   405   405   405   405   staff
worktime:absence_request         POST staff staff staff 400   400   404   404   404   404   staff
worktime:absence_withdraw        GET  staff staff staff 405   405   405   405   405   405   staff
worktime:absence_withdraw        POST staff staff staff 302   404   404   404   404   404   staff
worktime:teams                   GET  staff staff staff 404   404   404   200   404   404   staff
worktime:teams                   POST staff staff staff 405   405   405   405   405   405   staff
worktime:team                    GET  staff staff staff 404   404   404   200   404   404   staff
worktime:team                    POST staff staff staff 405   405   405   405   405   405   staff
worktime:team_calendar           GET  staff staff staff 404   404   404   200   404   404   staff
worktime:team_calendar           POST staff staff staff 405   405   405   405   405   405   staff
worktime:team_absence_decide     GET  staff staff staff 405   405   405   405   405   405   staff
worktime:team_absence_decide     POST staff staff staff 404   404   404   no    404   404   staff
worktime:team_correction_decide  GET  staff staff staff 405   405   405   405   405   405   staff
worktime:team_correction_decide  POST staff staff staff 404   404   404   no    404   404   staff
worktime:team_member             GET  staff staff staff 404   404   404   200   404   404   staff
worktime:team_member             POST staff staff staff 405   405   405   405   405   405   staff
worktime:team_month_close        GET  staff staff staff 405   405   405   405   405   405   staff
worktime:team_month_close        POST staff staff staff 404   404   404   302   404   404   staff
worktime:team_month_dispute      GET  staff staff staff 405   405   405   405   405   405   staff
worktime:team_month_dispute      POST staff staff staff 404   404   404   400   404   404   staff
worktime:team_member_sickness    GET  staff staff staff 405   405   405   405   405   405   staff
worktime:team_member_sickness    POST staff staff staff 404   404   404   400   404   404   staff
worktime:hr_closings             GET  staff staff staff 404   404   200   404   200   404   staff
worktime:hr_closings             POST staff staff staff 405   405   405   405   405   405   staff
worktime:hr_payroll              GET  staff staff staff 404   404   200   404   200   404   staff
worktime:hr_payroll              POST staff staff staff 405   405   405   405   405   405   staff
worktime:settings                GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings                POST staff staff staff 404   404   200   404   200   404   staff
worktime:settings_models         GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_models         POST staff staff staff 405   405   405   405   405   405   staff
worktime:settings_model_add      GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_model_add      POST staff staff staff 404   404   200   404   200   404   staff
worktime:settings_model          GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_model          POST staff staff staff 404   404   200   404   200   404   staff
worktime:settings_holidays       GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_holidays       POST staff staff staff 404   404   200   404   200   404   staff
worktime:settings_holiday_remove GET  staff staff staff 405   405   405   405   405   405   staff
worktime:settings_holiday_remove POST staff staff staff 404   404   302   404   302   404   staff
worktime:settings_teams          GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_teams          POST staff staff staff 405   405   405   405   405   405   staff
worktime:settings_team_add       GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_team_add       POST staff staff staff 404   404   200   404   200   404   staff
worktime:settings_team           GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_team           POST staff staff staff 404   404   200   404   200   404   staff
worktime:settings_employees      GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_employees      POST staff staff staff 405   405   405   405   405   405   staff
worktime:settings_employee_add   GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_employee_add   POST staff staff staff 404   404   200   404   200   404   staff
worktime:settings_employee       GET  staff staff staff 404   404   200   404   200   404   staff
worktime:settings_employee       POST staff staff staff 404   404   200   404   200   404   staff
worktime:sheet                   GET  staff staff staff 404   404   404   404   404   404   staff
worktime:sheet                   POST staff staff staff 405   405   405   405   405   405   staff
council_reading:home             GET  login 404   404   404   404   404   404   404   404   404
council_reading:home             POST login 404   404   404   404   404   404   404   404   404
council_reading:meeting          GET  login 404   404   404   404   404   404   404   404   404
council_reading:meeting          POST login 404   404   404   404   404   404   404   404   404
council_reading:offline_list     GET  login 404   404   404   404   404   404   404   404   404
council_reading:offline_list     POST login 404   404   404   404   404   404   404   404   404
council_reading:paper            GET  login 404   404   404   404   404   404   404   404   404
council_reading:paper            POST login 404   404   404   404   404   404   404   404   404
council_reading:file             GET  login 404   404   404   404   404   404   404   404   404
council_reading:file             POST login 404   404   404   404   404   404   404   404   404
council_reading:manifest         GET  200
council_reading:manifest         POST 405
council_reading:service_worker   GET  200
council_reading:service_worker   POST 405
council_reading:icon_small       GET  200
council_reading:icon_small       POST 405
council_reading:icon_large       GET  200
council_reading:icon_large       POST 405
council_public:home              GET  200   200   200   200   200   200   200   200   404   200
council_public:home              POST 405
council_public:calendar          GET  200   200   200   200   200   200   200   200   404   200
council_public:calendar          POST 405
council_public:upcoming          GET  200   200   200   200   200   200   200   200   404   200
council_public:upcoming          POST 405
council_public:feed              GET  200   200   200   200   200   200   200   200   404   200
council_public:feed              POST 405
council_public:meeting           GET  200   200   200   200   200   200   200   200   404   200
council_public:meeting           POST 405
council_public:paper             GET  200   200   200   200   200   200   200   200   404   200
council_public:paper             POST 405
council_public:file              GET  200   200   200   200   200   200   200   200   404   200
council_public:file              POST 405
council_public:bodies            GET  200   200   200   200   200   200   200   200   404   200
council_public:bodies            POST 405
council_public:body              GET  200   200   200   200   200   200   200   200   404   200
council_public:body              POST 405
council_public:body_feed         GET  200   200   200   200   200   200   200   200   404   200
council_public:body_feed         POST 405
council_public:persons           GET  200   200   200   200   200   200   200   200   404   200
council_public:persons           POST 405
council_public:person            GET  200   200   200   200   200   200   200   200   404   200
council_public:person            POST 405
council_public:search            GET  200   200   200   200   200   200   200   200   404   200
council_public:search            POST 405
oparl:system                     GET  200
oparl:system                     POST 405
oparl:body_list                  GET  200
oparl:body_list                  POST 405
oparl:body                       GET  200   200   200   200   200   200   200   200   404   200
oparl:body                       POST 405
oparl:file_access                GET  200   200   200   200   200   200   200   200   404   200
oparl:file_access                POST 405
oparl:file_download              GET  200   200   200   200   200   200   200   200   404   200
oparl:file_download              POST 405
oparl:organization_list          GET  200   200   200   200   200   200   200   200   404   200
oparl:organization_list          POST 405
oparl:organization               GET  200   200   200   200   200   200   200   200   404   200
oparl:organization               POST 405
oparl:person_list                GET  200   200   200   200   200   200   200   200   404   200
oparl:person_list                POST 405
oparl:person                     GET  200   200   200   200   200   200   200   200   404   200
oparl:person                     POST 405
oparl:membership_list            GET  200   200   200   200   200   200   200   200   404   200
oparl:membership_list            POST 405
oparl:membership                 GET  200   200   200   200   200   200   200   200   404   200
oparl:membership                 POST 405
oparl:meeting_list               GET  200   200   200   200   200   200   200   200   404   200
oparl:meeting_list               POST 405
oparl:meeting                    GET  200   200   200   200   200   200   200   200   404   200
oparl:meeting                    POST 405
oparl:agendaItem_list            GET  200   200   200   200   200   200   200   200   404   200
oparl:agendaItem_list            POST 405
oparl:agendaItem                 GET  200   200   200   200   200   200   200   200   404   200
oparl:agendaItem                 POST 405
oparl:paper_list                 GET  200   200   200   200   200   200   200   200   404   200
oparl:paper_list                 POST 405
oparl:paper                      GET  200   200   200   200   200   200   200   200   404   200
oparl:paper                      POST 405
oparl:consultation_list          GET  200   200   200   200   200   200   200   200   404   200
oparl:consultation_list          POST 405
oparl:consultation               GET  200   200   200   200   200   200   200   200   404   200
oparl:consultation               POST 405
oparl:file_list                  GET  200   200   200   200   200   200   200   200   404   200
oparl:file_list                  POST 405
oparl:file                       GET  200   200   200   200   200   200   200   200   404   200
oparl:file                       POST 405
oparl:location_list              GET  200   200   200   200   200   200   200   200   404   200
oparl:location_list              POST 405
oparl:location                   GET  200   200   200   200   200   200   200   200   404   200
oparl:location                   POST 405
oparl:legislativeTerm_list       GET  200   200   200   200   200   200   200   200   404   200
oparl:legislativeTerm_list       POST 405
oparl:legislativeTerm            GET  200   200   200   200   200   200   200   200   404   200
oparl:legislativeTerm            POST 405
council_office:home              GET  staff staff staff 404   404   200   404   200   404   staff
council_office:home              POST staff staff staff 405   405   405   405   405   405   staff
council_office:bodies            GET  staff staff staff 404   404   200   404   200   404   staff
council_office:bodies            POST staff staff staff 404   404   200   404   200   404   staff
council_office:body              GET  staff staff staff 404   404   200   404   200   404   staff
council_office:body              POST staff staff staff 404   404   200   404   200   404   staff
council_office:body_delete       GET  staff staff staff 405   405   405   405   405   405   staff
council_office:body_delete       POST staff staff staff 404   404   no    404   no    404   staff
council_office:membership_add    GET  staff staff staff 405   405   405   405   405   405   staff
council_office:membership_add    POST staff staff staff 404   404   200   404   200   404   staff
council_office:membership_delete GET  staff staff staff 405   405   405   405   405   405   staff
council_office:membership_delete POST staff staff staff 404   404   302   404   302   404   staff
council_office:persons           GET  staff staff staff 404   404   200   404   200   404   staff
council_office:persons           POST staff staff staff 404   404   200   404   200   404   staff
council_office:person            GET  staff staff staff 404   404   200   404   200   404   staff
council_office:person            POST staff staff staff 404   404   200   404   200   404   staff
council_office:person_account    GET  staff staff staff 405   405   405   405   405   405   staff
council_office:person_account    POST staff staff staff 404   404   200   404   200   404   staff
council_office:person_delete     GET  staff staff staff 405   405   405   405   405   405   staff
council_office:person_delete     POST staff staff staff 404   404   302   404   302   404   staff
council_office:places            GET  staff staff staff 404   404   200   404   200   404   staff
council_office:places            POST staff staff staff 404   404   200   404   200   404   staff
council_office:place_delete      GET  staff staff staff 405   405   405   405   405   405   staff
council_office:place_delete      POST staff staff staff 404   404   302   404   302   404   staff
council_office:term_delete       GET  staff staff staff 405   405   405   405   405   405   staff
council_office:term_delete       POST staff staff staff 404   404   302   404   302   404   staff
council_office:meetings          GET  staff staff staff 404   404   200   404   200   404   staff
council_office:meetings          POST staff staff staff 404   404   200   404   200   404   staff
council_office:meeting           GET  staff staff staff 404   404   200   404   200   404   staff
council_office:meeting           POST staff staff staff 405   405   405   405   405   405   staff
council_office:meeting_change    GET  staff staff staff 405   405   405   405   405   405   staff
council_office:meeting_change    POST staff staff staff 404   404   200   404   200   404   staff
council_office:item_add          GET  staff staff staff 405   405   405   405   405   405   staff
council_office:item_add          POST staff staff staff 404   404   200   404   200   404   staff
council_office:item_move         GET  staff staff staff 405   405   405   405   405   405   staff
council_office:item_move         POST staff staff staff 404   404   302   404   302   404   staff
council_office:item_remove       GET  staff staff staff 405   405   405   405   405   405   staff
council_office:item_remove       POST staff staff staff 404   404   302   404   302   404   staff
council_office:item_result       GET  staff staff staff 405   405   405   405   405   405   staff
council_office:item_result       POST staff staff staff 404   404   200   404   200   404   staff
council_office:invite            GET  staff staff staff 405   405   405   405   405   405   staff
council_office:invite            POST staff staff staff 404   404   302   404   302   404   staff
council_office:minutes_write     GET  staff staff staff 405   405   405   405   405   405   staff
council_office:minutes_write     POST staff staff staff 404   404   no    404   no    404   staff
council_office:minutes_approve   GET  staff staff staff 405   405   405   405   405   405   staff
council_office:minutes_approve   POST staff staff staff 404   404   200   404   200   404   staff
council_office:minutes_publish   GET  staff staff staff 405   405   405   405   405   405   staff
council_office:minutes_publish   POST staff staff staff 404   404   no    404   no    404   staff
council_office:meeting_cancel    GET  staff staff staff 405   405   405   405   405   405   staff
council_office:meeting_cancel    POST staff staff staff 404   404   302   404   302   404   staff
council_office:members_invitation GET  staff staff staff 404   404   404   404   404   404   staff
council_office:members_invitation POST staff staff staff 405   405   405   405   405   405   staff
council_office:file              GET  staff staff staff 404   404   200   404   200   404   staff
council_office:file              POST staff staff staff 405   405   405   405   405   405   staff
council_office:papers            GET  staff staff staff 404   404   200   404   200   404   staff
council_office:papers            POST staff staff staff 405   405   405   405   405   405   staff
council_office:paper_new         GET  staff staff staff 404   404   200   404   200   404   staff
council_office:paper_new         POST staff staff staff 404   404   200   404   200   404   staff
council_office:paper             GET  staff staff staff 404   404   200   404   200   404   staff
council_office:paper             POST staff staff staff 404   404   200   404   200   404   staff
council_office:paper_text        GET  staff staff staff 405   405   405   405   405   405   staff
council_office:paper_text        POST staff staff staff 404   404   200   404   200   404   staff
council_office:paper_upload      GET  staff staff staff 405   405   405   405   405   405   staff
council_office:paper_upload      POST staff staff staff 404   404   200   404   200   404   staff
council_office:paper_retry       GET  staff staff staff 405   405   405   405   405   405   staff
council_office:paper_retry       POST staff staff staff 404   404   302   404   302   404   staff
council_office:consultation_add  GET  staff staff staff 405   405   405   405   405   405   staff
council_office:consultation_add  POST staff staff staff 404   404   200   404   200   404   staff
council_office:consultation_remove GET  staff staff staff 405   405   405   405   405   405   staff
council_office:consultation_remove POST staff staff staff 404   404   no    404   no    404   staff
council_office:paper_release     GET  staff staff staff 405   405   405   405   405   405   staff
council_office:paper_release     POST staff staff staff 404   404   302   404   302   404   staff
council_office:paper_delete      GET  staff staff staff 405   405   405   405   405   405   staff
council_office:paper_delete      POST staff staff staff 404   404   302   404   302   404   staff
council_office:file_remove       GET  staff staff staff 405   405   405   405   405   405   staff
council_office:file_remove       POST staff staff staff 404   404   302   404   302   404   staff
"""

# Views that take POSTs without a CSRF token, and why that is safe.
CSRF_EXEMPT = {
    # CKAN clients POST JSON without cookies; every action only reads published data.
    "ckan_action", "ckan_action_unversioned",
    # The identity provider posts the SAML response cross-site; only a response whose
    # assertion the IdP signed for a request of this session logs anybody in.
    "identity:acs",
    # Other instances hand over applications machine to machine, without cookies; nothing
    # is believed until it decrypts with this authority's key (docs/architecture.md).
    "handover:submissions",
    # The probes and /metrics answer before the middleware stack (and its CSRF check),
    # only GET and HEAD, and change nothing; a POST gets 405.
    "operations:health", "operations:ready", "operations:metrics",
}


def _other_steueramt_file(world) -> str:
    """The Aktenzeichen of A's approved dog's file, which the Steueramt works on too."""
    from rathaus.records.models import CaseFile

    return (CaseFile.all_authorities.filter(department__slug="steueramt",
                                            department__authority__slug="leichlingen")
            .exclude(uuid=world.arguments["file_id"]).values_list("aktenzeichen", flat=True)
            .first())


def _tree_inspection(world) -> dict:
    """A valid regular inspection of the world's tree (field app)."""
    return {"client_id": str(uuid.uuid4()), "seen_version": "1", "kind": "regular",
            "condition": "healthy"}


def _dataset_form(name: str) -> dict:
    return {**NEW_DATASET, "name": name, "title": "Spender neu"}


# What each POST sends: a valid request, so that the answer shows whether the visitor
# may do it. A function of the `world` fixture; {} when not listed.
POST_DATA = {
    "portal:step": lambda w: HOLDER,
    "portal:case": lambda w: {"text": "Der Nachweis folgt mit der Post."},
    "portal:rate_case": lambda w: {"score": "5", "comment": "Schnell und freundlich."},
    "portal:deregister_dog": lambda w: {"given_up_on": "01.04.2026", "reason": "died"},
    "damage:report": lambda w: {"cadastre": w.arguments["cadastre"], "address": "Am Wall 3",
                                "description": "Ein Ast hängt über dem Gehweg."},
    "accounts:register": lambda w: {
        "email": "neu-registriert@example.org", "password": PASSWORD,
        "password_repeat": PASSWORD, "first_name": "Nora", "last_name": "Neu",
        "privacy": "on"},
    "accounts:login": lambda w: {"username": "bettina@example.org", "password": PASSWORD},
    "accounts:login_code": lambda w: {"otp_token": "123456"},
    "accounts:profile": lambda w: {"first_name": "Bettina", "last_name": "Beispiel",
                                   "postcode": "42799", "city": "Leichlingen"},
    "accounts:password_reset": lambda w: {"email": "bettina@example.org"},
    "accounts:password_reset_confirm": lambda w: {"new_password1": PASSWORD + "-neu",
                                                  "new_password2": PASSWORD + "-neu"},
    "office:login": lambda w: {
        "username": w.login_probe.email, "password": PASSWORD,
        "otp_token": current_totp(TOTPDevice.objects.get(user=w.login_probe))},
    "office:switch_department": lambda w: {"department": str(w.department_id)},
    "office:case_action": lambda w: {"text": "Vermerk zur Akte."},
    "office:add_note": lambda w: {"text": "Vermerk zur Akte."},
    "office:move_document": lambda w: {
        f"{w.arguments['document_id']}-aktenzeichen": _other_steueramt_file(w)},
    "office:plan_entry_new": lambda w: {"code": "99", "title": "Neu", "retention_years": "5",
                                        "disposal": "B",
                                        "reference_pattern": "{code}-{year}-{number:06d}"},
    "opendata_office:create": lambda w: _dataset_form("spender-neu"),
    "opendata_office:edit": lambda w: _dataset_form(w.arguments["name"]),
    "opendata_office:upload_file": lambda w: {
        "file": SimpleUploadedFile("spender.csv", DISPENSERS.encode())},
    "opendata_office:upload": lambda w: {
        **{f"c{i}-public": "on" for i in range(7)},
        **{f"c{i}-type": t for i, t in enumerate(
            ["text", "text", "decimal", "decimal", "date", "decimal", "boolean"])}},
    "ckan_action": lambda w: {"id": w.arguments["name"]},
    "ckan_action_unversioned": lambda w: {"id": w.arguments["name"]},
    "field:inspect": lambda w: _tree_inspection(w),
    "field:sync": lambda w: {**_tree_inspection(w), "asset": w.arguments["asset_id"]},
}


# The query string of each GET; {} when not listed.
GET_QUERY = {
    "maps:points": lambda w: {"zoom": "12"},
    "maps:staff_points": lambda w: {"zoom": "12"},
    "ckan_action": lambda w: {"id": w.arguments["name"]},
    "ckan_action_unversioned": lambda w: {"id": w.arguments["name"]},
}


def get_query(key: str, world) -> dict:
    make = GET_QUERY.get(key)
    return make(world) if make else {}


def post_data(key: str, world) -> dict:
    make = POST_DATA.get(key)
    return make(world) if make else {}


def _parse(table: str) -> dict[str, dict[str, list[str]]]:
    rows: dict[str, dict[str, list[str]]] = {}
    key = None
    for line in table.splitlines():
        if not line.strip() or line.startswith(("URL ", "#")):
            continue
        words = line.split()
        if not line[0].isspace():
            key, words = words[0], words[1:]
        method, answers = words[0], words[1:]
        if len(answers) == 1:
            answers = answers * len(COLUMNS)
        if len(answers) != len(COLUMNS) or method not in ("GET", "POST"):
            raise ValueError(f"authorization matrix: malformed row {line!r}")
        if method in rows.setdefault(key, {}):
            raise ValueError(f"authorization matrix: {key} {method} twice")
        rows[key][method] = answers
    return rows


ROWS = _parse(TABLE)


def expected(key: str, method: str) -> list[str] | None:
    return ROWS.get(key, {}).get(method)


def format_row(key: str, method: str, answers: list[str]) -> str:
    """A row as the table writes it."""
    if answers and len(set(answers)) == 1:
        answers = answers[:1]
    return (f"{key:<32} {method:<5}" + " ".join(f"{a:<5}" for a in answers)).rstrip()
