# aftercare — English
# Every user-facing string lives here; zh-CN.ftl must have exactly the same keys.

app-name = Aftercare follow-up
banner-fixed-date = The business date is fixed at { $date } (test or demo mode)
footer-today = Today: { $date }
required-mark = required
yes = Yes
no = No
lang-zh-CN = 中文
lang-en = English
nav-label = Main navigation
nav-home = Home
nav-customers = Customers
nav-new-visit = New visit
nav-archives = Customer archives
nav-merge = Merge customers
nav-settings = Settings
nav-stores = Stores
nav-users = Users
nav-tokens = API tokens
nav-logout = Log out

role-clerk = Follow-up clerk
role-supervisor = Supervisor
role-auditor = Auditor
role-admin = Administrator

state-upcoming = Upcoming
state-due = Due
state-overdue = Overdue
status-open = Open
status-done = Done
status-closed = Closed
timeliness-early = Early
timeliness-on_time = On time
timeliness-late = Late
timeliness-missed = Missed

kind-archive = Customer archive
kind-first_follow_up = First follow-up
kind-second_follow_up = Second follow-up
kind-planned_contact = Next-service contact
kind-maintenance_reminder = Maintenance reminder
kind-escalation = Escalate to the supervisor
kind-solution_call = Tell the customer the solution
kind-event_notice = Event notice call
kind-event_letter = Event letter
kind-unreachable_letter = Letter to an unreachable customer

visit-kind-repair = Repair
visit-kind-maintenance = Maintenance
visit-kind-consultation = Consultation

purpose-N1 = Maintenance reminder
purpose-N2 = Invitation to a customer get-together
purpose-N3 = Tell about an offer
purpose-N4 = Remind to come in for repair or a free inspection
purpose-N5 = Other

action-add = Add
action-back = Back
action-complete-archive = Complete the archive
action-create-token = Create token
action-edit = Edit
action-fill-archive = Fill in the archive
action-filter = Filter
action-pickup = Record pick-up
action-reassign = Reassign
action-reset-password = Reset password
action-revoke = Revoke
action-save = Save
action-save-visit = Save visit
action-search = Search
confirm-merge = Merge these two customers? The merged record moves into the one kept; this cannot be undone.
confirm-revoke = Revoke this token? Programs using it lose access at once.

login-title = Log in
login-lead = Log in to the after-sales follow-up system with your account.
login-submit = Log in

home-title = Home
home-greeting = Hello, { $name }
home-counts = Task counts
home-archive-tasks = Customer archives to complete
home-archive-lead = Complete the customer archive within two days of each service visit or consultation (rule 2).
home-no-archive-tasks = No customer archives to complete.
home-other-tasks = Other open tasks
home-no-other-tasks = No other open tasks.
home-team = Follow-up clerks of this store
home-store-archives = Open customer archives in this store
home-overdue-count = { $count } overdue
home-recent-archives = Newest customer archives
home-all-archives = All customer archives
home-admin = Overview
home-admin-users = { $count ->
    [one] One user
   *[other] { $count } users
}, { $disabled } disabled.

col-archive = Archive
col-archive-no = Archive no.
col-archived-by = Archived by
col-archived-on = Archived on
col-actions = Actions
col-assignable = Takes new customers
col-clerk = Follow-up clerk
col-created = Created
col-customer = Customer
col-deadline = Deadline
col-key = Key
col-kind = Task
col-last-used = Last used
col-open-archives = Archives to complete
col-overdue-archives = Of which overdue
col-phone = Phone
col-plate = Plate
col-select = Select
col-setting = Setting
col-source = Source
col-state = State
col-status = Status
col-value = Value
col-visit-date = Visit date
col-window = Due between

customers-title = Customers
customers-count = { $count ->
    [one] one customer
   *[other] { $count } customers
}
customers-search-placeholder = Name, phone or plate
customers-scope = Scope
customers-only-mine = Only mine
customers-all = All customers of the store
customers-none = No customers match.
customers-reassign-to = Reassign to:
customers-reassign-selected = Reassign the ticked customers to:
customer-vehicles = Vehicles
customer-no-vehicles = No vehicles recorded.
customer-visits = Service visits and consultations
customer-open-tasks = Open tasks
customer-no-open-tasks = No open tasks.
customer-archive-history = Archive history
customer-done-tasks = Finished tasks ({ $count })
customer-merges = Merges
customer-merge-line = { $at }: merged customer { $name } ({ $phone }) into this one
customer-merged-into = Merged into customer { $id }
customer-no = Customer no. { $id }
customer-no-archives = This customer has no archive yet.

merge-title = Merge duplicate customers
merge-lead = When one person was recorded as two customers, merge one into the other: vehicles, visits, tasks and archives move to the customer you keep, and the merge is recorded.
merge-preview = Preview
merge-kept = Customer to keep
merge-gone = Customer to merge in
merge-not-found = No such customer (or in another store, or already merged).
merge-submit = Merge

visit-new-title = New service visit or consultation
visit-new-lead = Record a vehicle checked in for service, or a customer who came to consult; an archive task due within two days is opened.
visit-section-visit = Visit
visit-section-customer = Customer
visit-section-vehicle = Vehicle
visit-section-work = Repair and maintenance

archive-sheet-title = Customer archive sheet
archive-to-customer = View customer
archive-deadline = Archive due by the end of { $date }
archive-section-customer = Customer
archive-section-vehicle = Vehicle and items
archive-section-maintenance = Maintenance and customer wishes
archive-section-archiving = Archiving
archive-no-history = This is the customer's first record with us.
archive-plan = Next-service plan
archive-plan-lead = At least one entry: purpose, date and talking points (rule 3). N1 is the maintenance reminder; its date defaults to the next maintenance date.
archive-completed-by = Archived by { $name } at { $at }
archives-title = Customer archive sheets
archives-count = { $count ->
    [one] one sheet
   *[other] { $count } sheets
}
archives-empty = No customer archives completed yet.
interval-days = { $n } days
interval-km = { $n } km

stores-title = Stores
stores-add = Add a store
store-all = All stores (group)
users-title = Users
users-add = Add a user
users-back = Back to the user list
user-active = Active
user-disabled = Disabled
user-reset-password = Reset password
tokens-title = API tokens
tokens-add = Create a token
tokens-none = No tokens yet.
tokens-shown-once = The new token is shown only this once; copy it now:
token-revoked-at = Revoked { $at }
settings-title = Settings
settings-lead = The configuration in force (read-only). Change it in the configuration file or the environment and restart; the time zone is fixed when the database is created.

source-default = Default
source-file = Configuration file
source-env = Environment
source-database = Database

setting-timezone = Time zone
setting-language = Default language
setting-secure-cookies = Send cookies over HTTPS only
setting-session-hours = Login lasts (hours)
setting-login-max-failures-per-account = Failed logins allowed per account
setting-login-max-failures-per-address = Failed logins allowed per address
setting-login-window-minutes = Failed-login window (minutes)
setting-cadence-archive-days = Archive within (days, rule 2)
setting-cadence-first-follow-up-from-days = First follow-up from (days, rule 4)
setting-cadence-first-follow-up-to-days = First follow-up to (days, rule 4)
setting-cadence-second-follow-up-from-days = Second follow-up from (days, rule 5)
setting-cadence-second-follow-up-to-days = Second follow-up to (days, rule 5)
setting-cadence-planned-contact-days = Next-service contact grace (days, rule 3)
setting-cadence-maintenance-reminder-lead-days = Maintenance reminder lead (days)
setting-cadence-escalation-days = Escalate within (days)
setting-cadence-solution-call-days = Tell the solution within (days, 0 = same day)
setting-cadence-event-notice-lead-days = Event notice lead (days, rule 6)
setting-cadence-event-letter-days = Event letter within (days, rule 6)
setting-cadence-unreachable-letter-days = Unreachable letter within (days)
setting-cadence-unreachable-after-attempts = Unanswered calls before a customer counts as unreachable
setting-cadence-queue-lookahead-days = Queue look-ahead (days)
setting-cadence-return-window-days = Return-rate window (days)

error-title = Something went wrong
form-has-errors = { $count ->
    [one] One field needs correcting; see the field marked in red.
   *[other] { $count } fields need correcting; see the fields marked in red.
}
pager = Page { $page } of { $pages }
pager-prev = Previous
pager-next = Next

ok-visit-created = Visit recorded; the archive task is open.
ok-picked-up = Pick-up recorded; the first follow-up task is open.
ok-archived = Customer archive completed.
ok-reassigned = Follow-up clerk reassigned.
ok-merged = Customers merged.
ok-store-added = Store added.
ok-user-added = User added.
ok-user-saved = User saved.
ok-password-reset = Password reset; the user must log in again.
ok-token-revoked = Token revoked.

import-summary = imported { $imported }, updated { $updated }, rejected { $rejected }
import-rejects-file = rejected rows and their reasons were written to { $path }
import-some-rejected = { $rejected } rows were rejected

field-plan-entry = Plan entry { $n }
field-file = File
field-body = Request body
field-external_id = External ID
field-kind = Kind
field-customer_name = Customer name
field-phone = Phone
field-address = Address
field-plate = Plate
field-vehicle_model = Vehicle model
field-vehicle_type = Vehicle type
field-checked_in_at = Check-in time
field-picked_up_at = Pick-up time
field-items = Repair / maintenance items
field-maintenance_interval = Maintenance interval
field-maintenance_interval_days = Maintenance interval (days)
field-maintenance_interval_km = Maintenance interval (km)
field-next_maintenance_date = Next maintenance date
field-desired_services = Services the customer wants
field-odometer_km = Odometer (km)
field-store = Store
field-visit_date = Visit date
field-service_history = Repair and maintenance history with us
field-plan = Next-service plan
field-purpose = Purpose
field-date = Date
field-talking_points = Talking points
field-archived_at = Archived at
field-customer_ids = Customers
field-clerk_id = Follow-up clerk
field-keep_id = Customer to keep (no.)
field-merge_id = Customer to merge in (no.)
field-username = Username
field-display_name = Display name
field-role = Role
field-password = Password
field-new-password = New password
field-name = Name
field-token-user = Acts as user
field-token-name = Token name
field-code = Code
field-from = From
field-to = To
field-active_for_assignment = Takes new customers
field-disabled = Disabled (ends their sessions and tokens at once)
field-lang = Language

hint-checked_in_at = When the vehicle came in or the customer visited; not later than now.
hint-picked_up_at = When the customer collected the vehicle; leave empty while it is in the workshop. A consultation has no pick-up.
hint-external_id = The ID in the dealer management system; importing the same ID again updates the visit.
hint-phone = A mobile, or a landline with its area code, e.g. 13812345678, 021-62345678.
hint-plate = E.g. 沪A·12345, new-energy 沪A·D12345. Optional for a consultation.
hint-vehicle_type = Car, SUV, MPV, van, pickup, truck…
hint-items = One per line, or separated by semicolons.
hint-a10 = Leave empty to estimate from the interval and odometer.
hint-a10-estimate = Leave empty to use the estimate from the interval and odometer: { $date }.
hint-archived_at = When the archive was really completed; may be earlier when entered late, never later than now.
hint-store-code = Lower-case letters, digits, - or _, e.g. pudong.
hint-username = 2–32 lower-case letters, digits, dots, underscores or hyphens.
hint-password = At least 10 characters.
hint-token-name = E.g. dealer system

# Reasons (the field's name is put before them)
err-required = is required
err-phone-invalid = "{ $value }" is not a mainland mobile or landline number
err-plate-invalid = "{ $value }" is not a licence plate (e.g. 沪A·12345)
err-kind-unknown = "{ $value }" is not a kind (repair, maintenance, consultation)
err-kind-changed = the visit with this external id was a { $value }; its kind cannot change
err-datetime-invalid = "{ $value }" is not a date and time (e.g. 2026-11-20T09:30)
err-datetime-in-future = must not be in the future
err-date-invalid = "{ $value }" is not a date (e.g. 2026-11-20)
err-date-not-after-visit = must be after the visit date
err-number-invalid = "{ $value }" is not a whole number
err-number-range = must be between { $min } and { $max }
err-too-long = must be at most { $max } characters
err-pickup-before-checkin = pick-up cannot be before check-in
err-pickup-consultation = a consultation has no pick-up
err-odometer-lower = is lower than the previous reading of { $previous } km; is it a typing error?
err-store-unknown = there is no store with code "{ $value }"
err-store-required = name the store
err-store-forbidden = you cannot record in this store
err-no-active-clerk = this store has no follow-up clerk taking new customers; an administrator must add or enable one
err-plan-required = at least one next-service plan entry is required
err-plan-n1-twice = only one maintenance reminder (N1) entry
err-purpose-unknown = "{ $value }" is not a purpose (N1–N5)
err-archived-before-visit = cannot be before the visit
err-phone-taken = this phone belongs to customer { $name }; if it is the same person, merge the customers
err-plate-taken = this plate is recorded on another vehicle
err-clerk-unknown = is not a follow-up clerk
err-clerk-other-store = this clerk does not work in the customer's store
err-customer-unknown = no such customer
err-merge-same = a customer cannot be merged into itself
err-merge-other-store = both customers must belong to the same store
err-merge-already = one of them has already been merged
err-username-invalid = use 2–32 lower-case letters, digits, dots, underscores or hyphens
err-username-taken = this username is taken
err-user-unknown = there is no user "{ $value }"
err-user-disabled = this user is disabled
err-role-unknown = "{ $value }" is not a role (clerk, supervisor, auditor, admin)
err-password-short = must have at least { $min } characters
err-self-demote = you cannot disable yourself or drop your own administrator role
err-store-code-invalid = use lower-case letters, digits, - or _, at most 32
err-store-code-taken = this store code is taken
err-file-not-utf8 = the file is not UTF-8 (unreadable from line { $line }); if Excel saved it as GBK/GB18030, save it again as "CSV UTF-8"
err-file-empty = the file is empty
err-header-missing = the header row is missing (the first line must name the columns, e.g. external_id,kind,customer_name,…)
err-columns-unknown = unknown columns: { $columns }
err-columns-missing = missing required columns: { $columns }
err-columns-duplicate = duplicate column: { $columns }
err-csv-malformed = malformed CSV: { $detail }
err-row-width = this row has { $found } columns, the header { $expected }
err-field-unknown = unknown field
err-items-not-list = must be a list of strings
err-json-invalid = not valid JSON: { $detail }
err-json-not-object = must be a JSON object
err-json-type = has the wrong type
err-already-picked-up = the pick-up of this visit is already recorded
err-archive-done = the archive of this visit is already completed
err-task-not-open = this task has ended; someone may just have completed it
err-unauthenticated = please log in first
err-forbidden = your role may not do this
err-csrf = the form expired or came from elsewhere; reload the page and try again
err-not_found = not found
err-throttled = too many failed logins; try again later
err-login-invalid = wrong username or password
err-bad-request = the request is malformed
err-internal = internal error; it was logged, please try again later
