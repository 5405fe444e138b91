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
nav-new-visit = New visit or consultation
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
interval-days = { $n ->
    [one] 1 day
   *[other] { $n } days
}
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
import-some-rejected = { $rejected ->
    [one] 1 row was rejected
   *[other] { $rejected } rows were rejected
}

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
err-file-not-utf8 = the file is neither UTF-8 nor GB18030 (unreadable from line { $line }); name its character set with --encoding
err-file-empty = the file is empty
err-header-missing = the header row is missing (the first line must name the columns, e.g. external_id,kind,customer_name,…)
err-columns-unknown = unknown columns: { $columns }
err-columns-missing = missing required columns: { $columns }
err-columns-duplicate = duplicate column: { $columns }
err-csv-malformed = malformed CSV (the quotes or the number of columns of this line are wrong)
err-row-width = this row has { $found } columns, the header { $expected }
err-field-unknown = unknown field
err-items-not-list = must be a list of strings
err-json-invalid = is not valid JSON (line { $line }, column { $column })
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
err-too_large = the request is too large (at most 1 MiB)
err-login-invalid = wrong username or password
err-bad-request = the request is malformed
err-internal = internal error; it was logged, please try again later

# Calls, the daily queue, absences (rules 4, 5, 7, 9; X1–X4)
nav-queue = Today's queue
nav-inbound = Record an inbound call
nav-absences = Absences
queue-title = Today's queue
queue-title-of = Queue of { $name }
queue-away = This clerk is away on this day; their tasks are in the substitute's queue.
queue-covering = Covering for { $names } (away): their tasks are here too.
queue-covering-for = covering for { $name }
queue-keys = Keys: J next, K previous, Enter open; J past the last row reaches "Next page", Enter turns the page
queue-now = Overdue and due
queue-empty = Nothing overdue or due today.
queue-later = Coming up
queue-later-empty = Nothing coming up.
queue-call-hours = takes calls { $hours }
queue-callback = call back at { $at }
col-attempts = Failed attempts
col-last-contact = Last contact
col-queue-today = Queue today
col-away = Away
col-job = Job
col-last-run = Last run
col-result = Result
col-record-no = Record no.
col-handled-by = Handled by
col-raised-on = Raised on
away-until = away until { $date }
action-show = Show
action-open = Open
action-open-queue = Open queue
action-record-call = Record call
action-new-inbound = Record an inbound call
action-save-call = Save the call
action-back-to-queue = Back to the queue
action-close-unreachable = Close as unreachable
action-choose = Choose
action-cancel = Cancel
confirm-unreachable = Close as unreachable? The task ends, a letter task opens and the phone number is flagged for checking.
confirm-cancel-absence = Cancel this absence?

outcome-reached = Reached
outcome-no_answer = No answer
outcome-busy = Busy
outcome-refused = Refused
outcome-wrong_number = Wrong number
outcome-callback_requested = Call back later
direction-outbound = Outbound
direction-inbound = Inbound
category-follow_up = Follow-up
category-inquiry = Inquiry
category-complaint = Complaint
category-reminder = Reminder
category-event_notice = Event notice
category-solution = Solution
category-other = Other
topic-C1 = Use of the vehicle and opinion of our service
topic-C2 = New service needs
topic-C3 = Advice on vehicle use and precautions
topic-C4 = Our recent and new services
topic-C5 = Upcoming events and offers (content, date, address)
topic-C6 = Consultation
topic-C7 = A visit to the customer arranged
item-kind-request = Request
item-kind-wish = Wish
item-kind-complaint = Complaint
item-status-open = Open
item-status-answered = Answered on the call
item-left-open = Left open
item-answered = Answered on the call
event-answer-coming = Coming
event-answer-not_coming = Not coming
event-answer-undecided = Undecided
satisfied-yes = Satisfied
satisfied-no = Not satisfied

call-section-outcome = Outcome
call-section-content = What was said
call-section-items = Requests, wishes and complaints
call-earlier = Earlier calls
call-earlier-lead = See what earlier calls covered, so this one does not repeat it (rule 5).
call-no-earlier = No calls yet.
call-open-items = Open requests and complaints
call-customer-refuses = This customer does not take calls.
call-unreachable = Unreachable
call-unreachable-lead = { $attempts } failed attempts so far. After the set number of failures, or past the window, the task may be closed as unreachable: it ends, a letter goes out instead and the phone number is flagged for checking.
inbound-title = Record an inbound call
inbound-section-customer = Caller
inbound-other-customer = another customer
inbound-new-customer-lead = If the caller is not found, a name and phone create a new customer.

absences-title = Absences and cover
absences-lead = When a designated clerk is away, the supervisor names a colleague to cover (rule 9). Meanwhile the clerk's tasks appear in the substitute's queue, and the substitute's calls are registered under the substitute's name.
absences-none = No absences.
absences-choose-substitute = Choose who covers
absences-add = New absence
absence-cancelled = Cancelled
absence-current = Now
absence-past = Over
absence-planned = Planned

digest-title = Morning digest: { $count ->
    [one] 1 task became
   *[other] { $count } tasks became
} overdue since yesterday
digest-all-handled = Every task that became overdue has been handled.
home-jobs = Scheduled jobs
job-backup = Database backup
job-purge_sessions = Purge expired logins
job-overdue_digest = Overdue digest
job-retention = Retention (anonymising)
job-summary_drafts = Summary drafts
job-win_back = Win-back tasks

customer-phone-check = Phone check
customer-phone-flagged = unreachable since { $date }; check the number at the next visit
customer-preferences = Contact preferences
customer-calls = Calls
customer-items = Requests, wishes and complaints

field-item-entry = Item { $n }
field-task_id = Task
field-customer_id = Customer
field-direction = Direction
field-category = Category
field-outcome = Outcome
field-called_at = Call time
field-callback_at = Call back at
field-topics = Topics covered
field-key_points = Key points
field-item-kind = Kind
field-item-text = What the customer said
field-answered_on_call = Answered on the call
field-answer = Answer
field-satisfied = Customer satisfied
field-event_answer = Customer's answer
field-new_customer_name = Customer name
field-new_customer_phone = Phone
field-no_calls = No calls
field-no_letters = No letters
field-call_hours = Call hours
field-absent_clerk = Clerk away
field-substitute_id = Substitute
field-note = Note
field-clerk = Clerk

hint-called_at = When the call really happened; may be earlier when entered late, never later than now.
hint-callback_at = When the customer asked to be called back.
hint-key_points = A reached call needs its key points.
hint-items-raised = One row per request, wish or complaint; give the answer when it was answered on the call, else it stays open for research.

ok-call-recorded = Call recorded.
ok-closed-unreachable = Closed as unreachable; a letter task is open.
ok-preferences-saved = Contact preferences saved.
ok-absence-saved = Absence saved.
ok-absence-cancelled = Absence cancelled.

setting-jobs-backup = Database backup (cron)
setting-jobs-backup-dir = Backup folder
setting-jobs-backup-keep = Backups kept
setting-jobs-purge-sessions = Purge expired logins (cron)
setting-jobs-overdue-digest = Overdue digest (cron)
setting-jobs-retention = Anonymise after retention (cron)
setting-privacy-retention-years = Years after the last visit before anonymising (0 = never)
setting-privacy-export-max-days = Longest export range for auditors, days (0 = no limit)

err-outcome-unknown = "{ $value }" is not an outcome
err-direction-unknown = "{ $value }" is not outbound or inbound
err-category-unknown = "{ $value }" is not a category
err-task-not-a-call = this task ({ $kind }) is not worked by a call
err-category-mismatch = a call on this task is a { $expected } call
err-category-without-task = a call without a task cannot be { $value }
err-callback-in-past = the call-back time must be in the future
err-callback-only-with-outcome = a call-back time goes only with "call back later"
err-topic-unknown = "{ $value }" is not one of C1–C7
err-items-need-reached = only a reached call can record requests, wishes or complaints
err-item-kind-unknown = "{ $value }" is not request, wish or complaint
err-event-answer-unknown = "{ $value }" is not an answer
err-call-hours-invalid = "{ $value }" is not a time range (e.g. 18:00-20:30)
err-task-unknown = no such task
err-customer-not-of-task = this task is not this customer's
err-customer-merged = this customer was merged; use the one kept
err-customer-refuses-calls = this customer does not take calls
err-already-called-today = this customer already had a follow-up call today; one a day unless a complaint is open or they asked to be called back
err-unreachable-too-early = { $attempts } failed attempts; { $needed } are needed, or the window must be over, to close as unreachable
err-absence-ends-before-start = the end cannot be before the start
err-substitute-self = the substitute cannot be the absent clerk
err-absence-overlaps = overlaps another absence of this clerk
err-substitute-absent = the substitute is away in this period too
err-absence-cancelled = this absence was already cancelled

archive-not-yours = This archive is completed by the customer's follow-up clerk (or whoever covers for them, or a supervisor); you can see the customer but not complete it.

# Requests and complaints to the end, customer events, letters (rules 4, 6, 8)
nav-escalations = Requests & complaints
nav-events = Customer events
nav-letter-templates = Letter templates
item-status-escalated = Escalated to the supervisor
item-status-solved = Solved, customer to be told
item-status-closed = Solved, customer satisfied
item-step-raised = Raised
item-step-note = Research note
item-step-escalated = Escalated
item-step-solved = Solution
item-step-told = Customer told
item-step-satisfied = Customer satisfied
item-step-reopened = Customer not satisfied: reopened
item-age = { $days ->
    [one] 1 day
   *[other] { $days } days
}
item-escalate-by = Escalate by
item-escalation-late = Not escalated within two days
item-timeline = History
item-add-note = Research note
item-escalate = Escalate to the supervisor
item-escalate-lead = What the clerk cannot solve goes to the supervisor within two days (rule 4).
item-escalate-note = What the supervisor must decide
item-solve = Solution
item-solve-lead = Once a solution is recorded the customer must be told the same day (rule 4); a call task for today opens.
action-add-note = Add note
action-escalate = Escalate
action-record-solution = Record the solution
action-reply-letter = Write a reply letter
action-print = Print
action-print-letters = Print this event's letters
action-mark-sent = Mark as sent
action-waive = Do not send (give the reason)
action-create-event = Create the event
escalations-title = Requests and complaints
escalations-lead = Requests, wishes and complaints still being followed, oldest first; those not escalated within two days are marked.
escalations-none = Nothing is being followed.
col-age = Days
field-solution = Solution
field-solved_at = Solved at
field-escalated_at = Escalated at
field-item_id = Item
field-reason = Reason
events-title = Customer events
events-lead = For get-togethers, offers and free services, call the customers two weeks ahead and send the notice letter within two days of the call where needed (rule 6).
events-none = No events yet.
events-add = New event
field-event-kind = Kind of event
field-title = Title
field-starts_on = Starts on
field-ends_on = Ends on
field-place = Place
field-content = Content
field-audience = Audience
field-last_visit_months = Visited within the last months
field-letter-kind = Letter kind
field-letter_body = Body
field-subject = Subject
hint-starts_on = Create it at least two weeks ahead so the notice calls can be made on time.
audience-all = All customers of the store
audience-filtered = Customers matching the filters
event-kind-get_together = Customer get-together
event-kind-offer = Offer
event-kind-free_service = Free service
event-kind-knowledge_evening = Car-care evening
event-notice-due = Notice calls due by
event-late-from-start = Created less than two weeks ahead: the notice calls are late from the start
event-col-notice = Notice call
event-col-letter = Letter
close-reason-unreachable = Unreachable
close-reason-refuses_channel = Customer refuses this channel
close-reason-waived = Not sent
close-reason-anonymised = Customer anonymised
close-reason-event_cancelled = Event cancelled
close-reason-superseded = Solved by the clerk
letter-sent-on = sent { $date }
letter-waive-reason = Why it is not sent
letter-kind-notice = Notice
letter-kind-invitation = Invitation
letter-kind-reply = Reply letter
letters-print-title = Letters
letters-count = { $count ->
    [one] one letter
   *[other] { $count } letters
}
letters-none = No letters to send.
templates-title = Letter templates
templates-fields = Merge fields:
templates-preview = Preview (sample data)
ok-note-added = Note added.
ok-escalated = Escalated to the supervisor.
ok-solved = Solution recorded; the call to tell the customer is due today.
ok-event-created = Event created; the notice calls are open.
ok-letter-sent = Letter registered as sent.
ok-letter-waived = Recorded as not sent, with the reason.
ok-template-saved = Template saved.
merge-sample-customer-name = Wang Wei
merge-sample-address = 100 Zhangyang Road, Pudong, Shanghai
merge-sample-phone = 13812345678
merge-sample-plate = 沪A·12345
merge-sample-vehicle-model = VW Lavida
merge-sample-store-name = Our shop
merge-sample-today = 2026-11-20
merge-sample-event-title = Free inspection week
merge-sample-event-dates = 2026-12-10 – 2026-12-16
merge-sample-event-place = Our service hall
merge-sample-event-content = Free check of brakes, tyres and lights
merge-sample-item-text = Engine noise after the service
merge-sample-solution = A free re-check and a new bracket are booked
merge-sample-clerk-name = Wang Fang
letter-notice-subject = Notice: { "{{" }event_title{ "}}" }
letter-notice-body =
    Dear { "{{" }customer_name{ "}}" },
    
    We will hold "{ "{{" }event_title{ "}}" }" at { "{{" }event_place{ "}}" } on { "{{" }event_dates{ "}}" }: { "{{" }event_content{ "}}" }.
    You are welcome to join us. For any question, call your follow-up clerk { "{{" }clerk_name{ "}}" }.
    
    Kind regards,
    { "{{" }store_name{ "}}" }
    { "{{" }today{ "}}" }
letter-invitation-subject = Invitation: { "{{" }event_title{ "}}" }
letter-invitation-body =
    Dear { "{{" }customer_name{ "}}" },
    
    We are pleased to invite you to "{ "{{" }event_title{ "}}" }" at { "{{" }event_place{ "}}" } on { "{{" }event_dates{ "}}" }.
    { "{{" }event_content{ "}}" }
    We look forward to seeing you.
    
    { "{{" }store_name{ "}}" }
    { "{{" }today{ "}}" }
letter-reply-subject = Our reply
letter-reply-body =
    Dear { "{{" }customer_name{ "}}" },
    
    About "{ "{{" }item_text{ "}}" }": after looking into it, this is what we will do:
    { "{{" }solution{ "}}" }
    Thank you for your trust. For any question, please contact your follow-up clerk { "{{" }clerk_name{ "}}" }.
    
    { "{{" }store_name{ "}}" }
    { "{{" }today{ "}}" }
err-item-cannot-escalate = cannot be escalated in its present state (only an open item can)
err-item-cannot-solve = a solution cannot be recorded in its present state
err-item-changed = someone else just handled this item; reload the page
err-before-raised = cannot be before the item was raised
err-event-kind-unknown = "{ $value }" is not a kind of event
err-event-in-past = the event's start is in the past
err-ends-before-start = the end cannot be before the start
err-audience-unknown = "{ $value }" is not an audience
err-audience-no-filter = choose at least one filter
err-audience-empty = no customer matches
err-letter-kind-unknown = "{ $value }" is not a letter kind
err-lang-unknown = "{ $value }" is not a language
err-merge-field-unknown = there is no merge field "{ $name }"
err-task-not-a-letter = this task is not a letter task
err-letter-not-waivable = only an event letter may be left unsent
err-customer-refuses-letters = this customer does not take letters
err-address-missing = this customer has no address; add it to the customer first

# The four registers' column headers (rule 11; the English headers are CONTRACT.md's identifiers)
col-archives-archive-no = archive_no
col-archives-customer-name = customer_name
col-archives-address = address
col-archives-phone = phone
col-archives-visit-date = visit_date
col-archives-vehicle-model = vehicle_model
col-archives-plate = plate
col-archives-vehicle-type = vehicle_type
col-archives-items = items
col-archives-maintenance-interval = maintenance_interval
col-archives-next-maintenance-date = next_maintenance_date
col-archives-desired-services = desired_services
col-archives-service-history = service_history
col-archives-due-date = due_date
col-archives-archived-on = archived_on
col-archives-archived-by = archived_by
col-archives-store = store
col-archives-amends = amends
col-archives-amend-reason = amend_reason
col-call-records-record-no = record_no
col-call-records-called-at = called_at
col-call-records-direction = direction
col-call-records-category = category
col-call-records-customer-name = customer_name
col-call-records-phone = phone
col-call-records-plate = plate
col-call-records-key-points = key_points
col-call-records-items-raised = items_raised
col-call-records-handling = handling
col-call-records-handled-by = handled_by
col-call-records-store = store
col-call-records-amends = amends
col-call-records-amend-reason = amend_reason
col-call-register-register-no = register_no
col-call-register-date = date
col-call-register-customer-name = customer_name
col-call-register-phone = phone
col-call-register-direction = direction
col-call-register-category = category
col-call-register-outcome = outcome
col-call-register-handled-by = handled_by
col-call-register-record-no = record_no
col-call-register-store = store
col-call-register-amends = amends
col-call-register-amend-reason = amend_reason
col-letter-register-register-no = register_no
col-letter-register-sent-on = sent_on
col-letter-register-customer-name = customer_name
col-letter-register-address = address
col-letter-register-letter-kind = letter_kind
col-letter-register-subject = subject
col-letter-register-handled-by = handled_by
col-letter-register-related-to = related_to
col-letter-register-store = store
col-letter-register-amends = amends
col-letter-register-amend-reason = amend_reason
err-register-unknown = "{ $value }" is not a register (archives, call-records, call-register, letter-register)
err-from-after-to = the start is after the end
field-register = Register

err-format-unknown = "{ $value }" is not a format (csv, json or xlsx)
field-format = Format

store-default-name = Our service centre

verify-ok = Every register's numbering and hash chain, the audit log's chain and the anonymisations are intact.
verify-broken = { $register }: { $line } ({ $reason })
verify-failed = verification failed: { $count ->
    [one] 1 finding
   *[other] { $count } findings
}
verify-missing-from-chain = not in the hash chain
verify-chain-broken = the chain is broken
verify-personal-changed = personal fields were changed
verify-content-changed = the content was changed
verify-line-removed = a line was removed
verify-head-rewritten = does not match a chain head given out: the whole chain may have been rewritten
verify-heads-ok = { $count } heads given out match the chains.
verify-missing = missing
verify-duplicate = the number is used twice
verify-out-of-order = the number is out of order
verify-wrong-number = not a number of this register and year
verify-counter-mismatch = the counter does not match the last line
verify-counter-missing = the counter of this year is missing
verify-more = more findings of this kind not listed
verify-audit-row-missing = the audit row of this chain entry is missing or its id was changed
verify-anonymisation-unproven = recorded as anonymised, but the anonymisation is not in the audit chain
verify-pass-left-open = an anonymisation pass is left open outside an anonymisation
verify-head-lines-removed = the chain is shorter than the head given out: lines were removed
verify-head-unknown-chain = no such store or year for this head
verify-summary-counter-mismatch = the summary counter disagrees with the rows (run `aftercare summary rebuild`)
verify-visit-neighbours-mismatch = the dates of the customer's previous and next visit kept on this visit disagree with the visits (run `aftercare summary rebuild`)
summary-rebuilt = summary counters rebuilt from the rows: { $count } counter rows
verify-unknown-register = not a register
# The register pages and paper forms (R11)
nav-registers = Registers
registers-title = The four registers
register-title-archives = Customer archive sheets
register-title-call-records = Follow-up call record sheet
register-title-call-register = Follow-up call register
register-title-letter-register = Follow-up letter register
registers-col-register = Register
registers-col-lines = Lines
registers-count = { $count ->
    [one] 1 line
   *[other] { $count } lines
}
registers-empty = No lines in this period
registers-range-this-month = This month
registers-range-last-month = Last month
registers-range-this-year = This year so far
registers-any = All
registers-filter-clerk = Handled by
registers-filter-customer = Customer name
action-export-csv = Export CSV
action-print-form = Print the form
registers-store = Store: { $store }
registers-all-stores = Store: all stores
registers-range = Period: { $from } to { $to }
registers-printed-by = Printed by: { $name }
registers-printed-at = Printed at: { $at }
registers-sheet-no = Archive no.: { $no }
registers-truncated = Only the first { $max } lines are listed; choose a shorter period
registers-items-raised = Requests, wishes and complaints
registers-item-text = Text
registers-item-closed-on = Closed on
registers-open-call-record = Open the call record
registers-letter-body = Letter text
registers-line-fields = This line
registers-more-columns = The main columns only; open a line by its number to see all of them.
field-page = Page

err-register-not-amendable = lines of this register cannot be amended yet
field-amend_reason = Reason for the amendment
amend-title = Amend this line
amend-lead = Register lines are never changed or deleted. An amendment is a new line that names the line it corrects and why; the original stays. Fill in only what needs correcting.
action-amend = Record the amendment
ok-amended = The amendment is recorded as a new line.

## Privacy, audit log and export options (R11)
anonymous-customer = Anonymised customer #{ $id }
err-phones-unknown = must be “masked” or “full”, not “{ $value }”
err-encoding-unknown = must be “utf-8” or “gb18030”, not “{ $value }”
err-range-too-long = covers { $days } days; an auditor may export at most { $max } days at once (ask a supervisor for a longer range)
err-phones-full-needs-grant = whole phone numbers need a supervisor's grant; without one the export shows them masked
err-grantee-not-auditor = “{ $value }” is not an active auditor of this store
err-date-in-past = must not be in the past
err-grant-too-long = a grant may run at most { $max } days
err-customer-anonymised = this customer is already anonymised
err-grant-revoked = this grant was already revoked
export-done = { $lines ->
    [one] 1 line
   *[other] { $lines } lines
} exported, SHA-256 { $sha }
field-encoding = Character set
encoding-utf-8 = UTF-8 (Excel 2016 and later)
encoding-gb18030 = GB18030 (older Excel)
field-phones = Phone numbers
phones-default = As my role allows
phones-masked = Masked (138****5678)
phones-full = Whole numbers
action-export-options = Export with these options
action-reveal-phone = Show the whole number
reveal-hint = Showing it is recorded in the audit log.
nav-audit = Audit log
audit-title = Audit log
audit-lead = Every login and failed login, permission denial, export, phone-number reveal, amendment, user and role change, absence, reassignment and anonymisation — who, what, when, from where, and the result. Nobody can change or delete a row.
audit-count = { $count ->
    [one] 1 row
   *[other] { $count } rows
}
audit-empty = No rows for this filter.
audit-col-id = No.
audit-col-at = When
audit-col-at-utc = Time (UTC)
audit-col-at-local = Time (local)
audit-col-actor = Who
audit-col-action = Action
audit-col-subject = Subject
audit-col-detail = Detail
audit-col-ip = From
audit-col-result = Result
audit-action-login = Login
audit-action-logout = Logout
audit-action-permission-denied = Permission denied
audit-action-register-export = Register export
audit-action-register-amend = Register amendment
audit-action-audit-export = Audit-log export
audit-action-phone-reveal = Phone number shown
audit-action-export-grant = Full-phone export granted
audit-action-export-revoke = Full-phone export grant revoked
audit-action-customer-anonymise = Customer anonymised
audit-action-customer-merge = Customers merged
audit-action-customer-reassign = Customers reassigned
audit-action-customer-preferences = Contact preferences changed
audit-action-absence-create = Absence and cover recorded
audit-action-absence-cancel = Absence cancelled
audit-action-user-create = User created
audit-action-user-update = User changed
audit-action-user-disable = User disabled
audit-action-user-password_reset = Password reset
audit-action-token-create = API token created
audit-action-token-revoke = API token revoked
audit-action-store-add = Store added
audit-action-event-create = Event created
audit-action-item-escalate = Item escalated
audit-action-item-solve = Solution recorded
audit-action-letter-template = Letter template changed
audit-action-letter-waive = Letter waived
audit-action-task-unreachable = Closed as unreachable
grants-title = Full-phone exports
grants-lead = Auditors export with masked phone numbers. A supervisor can let one auditor export whole numbers until a date; the grant and every export made with it are recorded.
field-grantee = Auditor
grants-granted-by = Granted by
field-expires_on = Until (inclusive)
grants-none = No grant is running.
action-grant = Grant
exports-title = Recent exports
exports-col-range = Range
exports-col-numbers = First … last number
exports-none = No export yet.
customer-anonymised-on = Anonymised on { $at } by { $by }: the name, phone number and address are gone from the customer and from every register line; the register chains still verify.
customer-anonymise = Anonymise at the customer's request
customer-anonymise-hint = Replaces the name, phone number and address everywhere, also in the registers, and closes open tasks. This cannot be undone.
action-anonymise = Anonymise
ok-customer-anonymised = The customer is anonymised.
exports-col-sha = SHA-256
## R10, X5: monthly and yearly summaries (issue 6)
nav-summaries = Summaries
sum-title-monthly = Monthly summary { $period }
sum-title-yearly = Yearly summary { $period }
sum-kind-monthly = Monthly summary
sum-kind-yearly = Yearly summary
sum-archive-title = Summaries
sum-archive-empty = No summary is stored yet. Open a month or a year to draft it.
sum-action-open-month = Open the month
sum-action-open-year = Open the year
sum-action-csv = Per-clerk table (CSV)
sum-action-file = File the summary
sum-action-correct = Open a correction
sum-confirm-file = A filed summary can no longer be changed (only corrected by a new version). File it now?
sum-correct-lead = A filed summary never changes. A correction is a new version, with the reason; this version stays in the archive.
sum-correction-of = Correction of the filed version: { $reason }
sum-filed-banner = Filed (version { $version }) by { $by } at { $at } — figures frozen as they were then.
sum-draft-banner = Draft computed live from the data, counted up to { $date }.
sum-ok-filed = { $what } filed (version { $version }); it can no longer be changed.
sum-not-over = The period is not over yet; it can be filed from the first day after it.
sum-figures-title = Figures
sum-col-figure = Figure
sum-col-value = This period
sum-col-previous = Previous period
sum-col-change = Change
sum-col-clerk = Follow-up clerk
sum-col-median = Store median
sum-col-period = Period
sum-col-kind = Kind
sum-col-version = Version
sum-col-status = Status
sum-col-filed = Filed by / at
sum-status-draft = draft
sum-status-filed = filed
sum-versions = Versions
sum-clerks-title = Per clerk
sum-clerks-work = Work and timeliness
sum-clerks-results = Results and customers
sum-scorecards = Scorecards (each beside the store's median)
sum-store-median = median { $value }
sum-scorecard-title = Scorecard of { $name }
sum-scorecard-lead = A clerk is judged on keeping customers and following up, not on volume alone: each figure beside the store's median.
sum-print-median-note = In brackets: the store's median of the clerks.
sum-signature = Supervisor (signature): ____________________
sum-report-title = Written report
sum-attendees-hint = Names of those present at the department meeting
sum-chart-follow = Follow-ups on time, late and missed, per clerk
chart-link-name = { $label }: { $value } ({ $chart })
sum-chart-calls = Outbound calls by outcome
sum-chart-funnel = Requests, wishes and complaints: the funnel
sum-chart-trend-rates = Rates month by month
sum-chart-trend-counts = Calls and items month by month
sum-legend-on-time = on time
sum-legend-late = late
sum-legend-missed = missed
sum-legend-reached = reached
sum-legend-failed = failed
sum-legend-callback = call back later
sum-legend-funnel = items
sum-lines-count = { $count ->
    [one] 1 line
   *[other] { $count } lines
}
sum-lines-none = No lines.
sum-line-date = Date
sum-line-ref = Line
sum-line-customer = Customer
sum-line-clerk = Clerk
sum-line-detail = Detail
sum-line-status = Status / outcome
sum-section-visits = Visits and consultations
sum-section-archives = Archives (R2)
sum-section-follow_ups = Follow-ups (R4, R5)
sum-section-calls = Calls (R7, X1)
sum-section-items = Requests, wishes and complaints (R4a–R4d)
sum-section-events = Events (R6)
sum-section-letters = Letters by kind (R8)
sum-section-maintenance = Maintenance reminders and return rate (N1, X5)
sum-fig-visits = Service visits
sum-fig-consultations = Consultations
sum-fig-archives_due = Archives due
sum-fig-archives_on_time = Archives on time
sum-fig-archives_late = Archives late
sum-fig-archives_missed = Archives missed
sum-fig-first_follow_ups_due = First follow-ups due
sum-fig-first_follow_ups_on_time = First follow-ups on time
sum-fig-first_follow_ups_late = First follow-ups late
sum-fig-first_follow_ups_early = First follow-ups early
sum-fig-first_follow_ups_missed = First follow-ups missed
sum-fig-second_follow_ups_due = Second follow-ups due
sum-fig-second_follow_ups_on_time = Second follow-ups on time
sum-fig-second_follow_ups_late = Second follow-ups late
sum-fig-second_follow_ups_early = Second follow-ups early
sum-fig-second_follow_ups_missed = Second follow-ups missed
sum-fig-outbound_calls = Outbound calls
sum-fig-reached_calls = Reached
sum-fig-reach_rate = Reach rate
sum-fig-failed_calls-no_answer = Failed: no answer
sum-fig-failed_calls-busy = Failed: busy
sum-fig-failed_calls-refused = Failed: refused
sum-fig-failed_calls-wrong_number = Failed: wrong number
sum-fig-callbacks = Call back later
sum-fig-inbound_inquiries = Inbound inquiries
sum-fig-inbound_complaints = Inbound complaints
sum-fig-items_raised = Items raised
sum-fig-items_answered_on_call = Answered on the call
sum-fig-items_escalated = Escalated
sum-fig-items_escalated_late = Escalated late
sum-fig-items_solved = Solved
sum-fig-items_customer_told_same_day = Customer told the same day
sum-fig-items_satisfied = Customer satisfied
sum-fig-items_open_at_end = Still open at the end
sum-fig-median_days_to_close = Median days to close
sum-fig-events = Events
sum-fig-event_notices_due = Notice calls due
sum-fig-event_notices_on_time = Notice calls ≥ 14 days ahead
sum-fig-event_letters_sent_on_time = Letters within 2 days
sum-fig-event_letters_waived = Letters waived
sum-fig-letters-notice = Notice letters
sum-fig-letters-invitation = Invitations
sum-fig-letters-reply = Reply letters
sum-fig-maintenance_reminders_due = Maintenance reminders due
sum-fig-maintenance_reminders_done = Maintenance reminders made
sum-fig-returned_within_30_days = Came back within 30 days
sum-fig-return_rate = Return rate
sum-fig-follow_ups_on_time_rate = Follow-ups on time
sum-score-archives_on_time_rate = Archives on time
sum-score-follow_ups_on_time_rate = Follow-ups on time
sum-score-reach_rate = Reach rate
sum-score-items_closed = Items closed
sum-score-return_rate = Return rate
sum-score-overdue_at_end = Overdue tasks at the end
field-period = Period
field-month = Month
field-year = Year
field-figure = Figure
field-went_well = What went well
field-problems = Problems
field-measures = Measures for next month
field-meeting_on = Department meeting held on
field-attendees = Attendees
err-summary-period-invalid = "{ $value }" is not a period ({ $format })
err-summary-period-future = { $value } has not begun yet
err-summary-period-not-over = { $value } is not over yet; a summary is filed after its period
err-summary-report-required = is required before filing
err-summary-already-filed = this summary is already filed; a correction is a new version
err-summary-not-filed = only a filed summary is corrected by a new version
err-summary-figure-unknown = "{ $value }" is not a figure of the summaries
err-summary-scorecard-not-yours = a clerk sees only their own scorecard
err-summary-format-unknown = "{ $value }" is not a format (json, html or csv)
setting-jobs-summary-drafts = Summary drafts on the 1st (cron)
anonymise-retention-reason = retention period of { $years } years after the last visit ran out

# Issue 11: the queue a page at a time
queue-kind-all = All kinds
queue-state-today = Today (overdue and due)
queue-state-all = All states
queue-owner = Whose tasks
queue-owner-all = All
queue-owner-own = My own
queue-event-title = Event notice: { $event }
queue-back-to-all = Back to the whole queue
queue-filtered = Filtered
queue-event-group = Event notice: { $event }, { $n ->
    [one] { $n } customer
   *[other] { $n } customers
  }, by { $date }
queue-callback-today = call back today at { $time }
queue-next-page = Next page
queue-prev-page = Previous page
queue-pages = Pages
queue-page-of = Page { $page } of { $pages ->
    [one] { $pages }
   *[other] { $pages }
  }
queue-preview-title = { $name }'s queue on { $date } with the cover
queue-preview-now = Now: { $overdue } overdue, { $due } due, { $upcoming } coming up
queue-preview-after = With the cover: { $overdue } overdue, { $due } due, { $upcoming } coming up
action-preview-cover = Preview the substitute's queue
err-queue-kind-unknown = there is no task kind "{ $value }"
err-queue-state-unknown = there is no state "{ $value }" (use overdue, due, upcoming)
err-queue-limit = "{ $value }" is not a whole number from 1 to { $max }
err-queue-cursor = not a valid page position (start again from the first page)
err-queue-event = "{ $value }" is not an event number
field-state = State
field-limit = Page size
field-after = Page position
field-event = Event

## Excel workbooks (R11): the manifest sheet
action-export-xlsx = Export Excel (xlsx)
manifest-sheet = Manifest
manifest-register = Register
manifest-from = From
manifest-to = To
manifest-store = Store
manifest-lines = Lines
manifest-first-number = First number
manifest-last-number = Last number
manifest-data-sha256 = SHA-256 of the data (as the UTF-8 CSV export)
manifest-phones = Phone numbers
manifest-phones-full = whole
manifest-phones-masked = masked
manifest-exported-by = Exported by
manifest-exported-at = Exported at
manifest-head-store = Chain: store
manifest-head-year = Year
manifest-head-lines = Lines in the chain
manifest-head-hash = Head (SHA-256)
manifest-period = Period
manifest-filed = Filed
manifest-first-id = First row
manifest-last-id = Last row
err-output-required-for-xlsx = is required for an Excel workbook (it cannot go to standard output)
field-output = Output file

## Import: character sets, workbooks, dry runs
import-read-detected = read as { $encoding } (detected)
import-read-named = read as { $encoding } (as named)
import-read-sheet = read the sheet "{ $sheet }"
import-dry-run-summary = dry run, nothing written: would import { $imported }, update { $updated }, reject { $rejected }
import-rerun = Each row is written whole or not at all. Importing the same file again updates the rows already imported (by external_id) and adds the others; rows without an external_id are added again.
err-file-not-gb18030 = the file is not GB18030
err-workbook-unreadable = the file is not a readable Excel workbook (.xlsx or .xls)
err-sheet-unknown = the workbook has no sheet "{ $value }" (its sheets: { $sheets })
err-cell-error = the cell holds an Excel error ({ $value })
field-sheet = Sheet
err-control-char = contains an invisible control character ({ $char }, character { $position }); type the text again without it
format-csv = CSV
format-xlsx = Excel workbook (xlsx)

# X6–X8: satisfaction, lost customers won back, service advisors
kind-win_back = Win back a lost customer
close-reason-returned = Customer came back
field-satisfaction = Satisfaction
field-aspects = Satisfaction by aspect
field-win_back_reason = Why the customer stopped coming
field-win_back_text = Reason in the customer's words
field-advisor = Service advisor
aspect-reception = Reception
aspect-repair_quality = Repair quality
aspect-on_time = On-time delivery
aspect-price_explained = Price explained
aspect-returned_clean = Vehicle returned clean
satisfaction-declined = Declined to answer
satisfaction-not-asked = Not asked
satisfaction-ask = Satisfaction (press 1–5)
satisfaction-ask-hint = Ask first: how satisfied is the customer overall, 1 (very dissatisfied) to 5 (very satisfied)? A 1 or 2 opens a complaint on this call.
satisfaction-low-item = Satisfaction score { $score } on the follow-up call (X6)
win-back-reason-moved = Moved away
win-back-reason-sold_car = Sold the car
win-back-reason-other_shop = Went to another shop
win-back-reason-price = Price
win-back-reason-dissatisfied = Dissatisfied
win-back-reason-other = Other
err-satisfaction-not-here = only a reached first or second follow-up records satisfaction
err-satisfaction-invalid = must be 1 to 5 or "declined"
err-aspect-unknown = is not an aspect this shop asks
err-aspect-invalid = must be 1 to 5
err-aspect-when-declined = the customer declined to answer; leave the aspects empty
err-win-back-not-here = only a reached win-back call records why the customer stopped coming
err-win-back-reason-unknown = "{ $value }" is not a reason (moved, sold_car, other_shop, price, dissatisfied, other)
col-satisfaction = Satisfaction
customers-filter-lost = Lost customers only (X7)
customers-lost = lost
sum-section-satisfaction = Satisfaction, lost customers and win-back (X6, X7)
sum-fig-satisfaction_answers = Satisfaction answers (1–5)
sum-fig-satisfaction_declined = Declined to answer
sum-fig-satisfaction_mean = Mean satisfaction
sum-fig-satisfaction_low = Low scores (1–2)
sum-fig-csi = CSI (share of 4–5)
sum-fig-lost_customers = Lost customers at the end
sum-fig-win_back_calls = Win-back calls
sum-fig-won_back = Won back
sum-fig-aspects = Mean by aspect
sum-advisors = By service advisor (X8)
sum-advisor = Service advisor
sum-chart-csi-clerks = CSI per clerk
sum-chart-csi-trend = CSI and lost customers, month by month
advisors-title = Service advisors
advisors-intro = Visits name the advisor who received the car (X8). A name typed on a visit or sent by the DMS is matched to this list ignoring spaces, width and case; names that match none are listed below as unmatched.
advisors-add = Add advisor
advisors-disable = Disable
advisors-enable = Enable
advisors-disabled = disabled
advisors-unmatched = Unmatched names on visits
advisors-visits = Visits
advisors-none = No advisors yet.
err-advisor-exists = an advisor of this name is already on the list
setting-jobs-win-back = Win-back tasks for lost customers (cron)
col-call-records-satisfaction = satisfaction
setting-advisors-enabled = Service advisors on visits and in the summaries (X8)
setting-satisfaction-enabled = Ask satisfaction on reached follow-ups (X6)
setting-satisfaction-aspects = Satisfaction aspects asked (X6)
setting-cadence-lost-after-days = Lost when A10 is this many days past (X7)
setting-cadence-win-back-days = Win-back task window, days (X7)

# Issue 12: nested fields read as sentences.
err-nested = { $entry }: the { $field } { $reason }
field-entry-items = Item { $n } (request, wish or complaint)
nested-items-kind = kind
nested-items-text = text
nested-items-answer = answer
field-entry-plan = Plan entry { $n }
nested-plan-purpose = purpose
nested-plan-date = date
nested-plan-talking_points = talking points
err-json-incomplete = is incomplete JSON, cut short at line { $line }, column { $column }
err-body-unreadable = the request could not be read; please try again
err-body-invalid = the request's body cannot be read
err-form-invalid = the form could not be read; reload the page and submit it again
err-form-content-type = the form was sent with the wrong content type
err-json-content-type = the request's content type must be application/json
err-query-invalid = this parameter of the address is not valid
field-element = { $label }, entry { $n }
field-as-sent = “{ $name }”
field-query = Address parameter
letter-kind-unreachable = Letter to a customer we could not reach
letter-unreachable-subject = About your visit of { "{{" }visit_date{ "}}" }
letter-unreachable-body =
    Dear { "{{" }customer_name{ "}}" },
    
    On { "{{" }visit_date{ "}}" } your car { "{{" }plate{ "}}" } was serviced at our shop. We tried several times to reach you by telephone to ask whether you were satisfied, but could not reach you.
    Please call us at { "{{" }store_phone{ "}}" } when it suits you, or your customer care clerk { "{{" }clerk_name{ "}}" }. Your opinion matters to us.
    
    Yours sincerely,
    
    { "{{" }store_name{ "}}" }
    { "{{" }today{ "}}" }
merge-sample-visit-date = 14 November 2026
merge-sample-store-phone = 021-6488 1234
letter-related = { $what } { $id }: { $text }
letter-related-event = Event
letter-related-task = Follow-up task
field-store-phone = Shop telephone
hint-store-phone = the number the letter to an unreachable customer asks them to call

# Issue 12: register columns on screen, on paper and in workbooks, one key per column (the CSV keeps col-<register>-<key>, CONTRACT.md)
column-archive_no = Archive no.
column-customer_name = Customer name
column-address = Address
column-phone = Phone
column-visit_date = Visit or consultation date
column-vehicle_model = Vehicle model
column-plate = Plate
column-vehicle_type = Vehicle type
column-items = Repair and maintenance items
column-maintenance_interval = Maintenance interval
column-next_maintenance_date = Next maintenance date
column-desired_services = Services the customer wants
column-service_history = Service history
column-due_date = Archive due
column-archived_on = Archived on
column-archived_by = Archived by
column-record_no = Record no.
column-called_at = Called at
column-direction = Outbound/inbound
column-category = Category
column-key_points = Key points
column-items_raised = Requests, wishes, complaints
column-handling = Handling
column-handled_by = Handled by
column-satisfaction = Satisfaction
column-register_no = Register no.
column-date = Date
column-outcome = Outcome
column-sent_on = Sent on
column-letter_kind = Letter kind
column-subject = Subject
column-related_to = Related to
column-store = Store
column-amends = Amends
column-amend_reason = Amendment reason

# Issue 12: the audit log in words — actions, results, subjects and the fields of a detail
audit-action-summary-file = Summary filed
audit-action-summary-correct = Filed summary corrected
audit-action-summary-rebuild = Summary figures recomputed
audit-action-customer-update = Customer details updated
audit-action-advisor-add = Service advisor added
audit-action-advisor-enable = Service advisor enabled
audit-action-advisor-disable = Service advisor disabled
audit-result-ok = Done
audit-result-refused = Refused
audit-result-interrupted = Interrupted
audit-subject-task = Task { $id }
audit-subject-customer = Customer { $id }
audit-subject-customers = Customers { $id }
audit-subject-item = Item { $id }
audit-subject-advisor = Service advisor { $id }
audit-subject-token = API token { $id }
audit-subject-grant = Grant { $id }
audit-subject-merge = Customer { $from } merged into { $into }
audit-detail-attempts = Failed attempts
audit-detail-invitees = Customers invited
audit-detail-version = Version
audit-detail-rows = Rows
audit-detail-from = From
audit-detail-to = To
audit-detail-reason = Reason
audit-detail-error = Error
audit-detail-name = Name
audit-detail-visits_linked = Visits linked
audit-detail-role = Role
audit-detail-source = Source
audit-detail-changed = Fields changed
audit-detail-register = Register
audit-detail-store = Store
audit-detail-lang = Language
audit-detail-format = Format
audit-detail-encoding = Character set
audit-detail-phones = Phone numbers
audit-detail-lines = Lines
audit-detail-first_number = First number
audit-detail-last_number = Last number
audit-detail-bytes = Bytes
audit-detail-sha256 = SHA-256
audit-detail-data_sha256 = Data SHA-256
audit-detail-chain_heads = Chain heads
audit-detail-exported_by = Exported by
audit-detail-exported_at = Exported at
audit-detail-grant = Grant
audit-reason-client_gone = the downloader went away
audit-reason-write_failed = writing failed
audit-reason-throttled = too many failures, locked for a while
audit-reason-bad_credentials = wrong username or password
audit-bool-true = yes
audit-bool-false = no
audit-changed-name = Customer name
audit-changed-address = Address
audit-source-visit = Visit

# Issue 12: the command line's confirmations, in the configured language
cli-migrated = migrated { $url }
cli-store-added = store { $code } added
cli-user-created = user { $name } created ({ $role })
cli-user-disabled = user { $name } disabled
cli-no-job-due = no job is due
job-part-separator = {", "}
# Between the items of a list shown on one line (a visit's repair items).
list-separator = {", "}
job-backup-postgres = skipped: PostgreSQL is backed up with pg_dump
job-backup-written = wrote { $path }, removed { $removed ->
    [one] one old copy
   *[other] { $removed } old copies
}
job-purged = removed { $sessions ->
    [one] one expired session
   *[other] { $sessions } expired sessions
}, { $attempts ->
    [one] one old login attempt
   *[other] { $attempts } old login attempts
}
job-digests = { $n ->
    [one] one digest
   *[other] { $n } digests
} for { $date }
job-anonymised = { $n ->
    [one] { $n } customer
   *[other] { $n } customers
} anonymised
job-drafts = { $period }: { $n ->
    [one] { $n } draft
   *[other] { $n } drafts
}
job-result-as-stored = { $text }
job-drafts-none = no summary is due for a draft
job-win-back = { $n ->
    [one] { $n } win-back task
   *[other] { $n } win-back tasks
} opened
cli-demo-loaded = demo data loaded
cli-demo-not-loaded = the database already has users: demo data not loaded again
cli-demo-logins = demo logins (username / password / role):
cli-date-fixed = business date fixed at { $date }
cli-stopped = stopped; WAL checkpointed
cli-import-line = line { $line }: { $errors }
cli-backup-postgres = this is a PostgreSQL database: use pg_dump for a consistent copy
cli-backup-exists = { $path }: the file exists; choose a new name
cli-backup-written = backup written to { $path }
audit-detail-substitute = Covered by
audit-detail-until = Until
audit-detail-grant_reason = Reason for the grant

# demo generate (issue 14: where the time goes)
cli-generate-rows = rows written, per table:
cli-generate-done = generated in { $seconds } s
cli-generate-phases = where the time went: simulating { $simulate } s; writing { $write } s at the same time (slowest tables: { $tables }); indexes and triggers { $indexes } s; summary counters { $counters } s (of which { $counted } s while the indexes were built)
cli-generate-logins = logins (password { $password } for all): { $logins }
generate-at-least-one = --customers, --months and --stores must each be at least 1
generate-not-empty = the database already holds customers: generate into an empty database
generate-months-too-far = --months reaches back before the earliest date the calendar can hold
cli-password-unreadable = cannot read the password from standard input
cli-file-not-found = no such file
cli-file-permission = permission denied
cli-file-unreadable = cannot be read

# configuration (issue 15: named in the user's language)
config-file-unreadable = cannot read the configuration file { $path }
config-file-invalid = configuration file { $path }: not valid TOML at line { $line }
config-env-not-integer = { $var }: expected a whole number, got "{ $value }"
config-env-not-bool = { $var }: expected true or false, got "{ $value }"
config-invalid = configuration: { $reason }
config-cadence = configuration: cadence: { $reason }
config-timezone = configuration: timezone: "{ $value }" is not an IANA time zone such as Asia/Shanghai
config-cron = configuration: { $key }: "{ $value }" is not a cron schedule such as "0 0 2 * * *" (second minute hour day month weekday)
config-aspect = configuration: satisfaction.aspects: "{ $value }" is not one of { $allowed }
config-language = configuration: language: "{ $value }" is not one of { $allowed }
config-not-table = configuration: { $key } must be a table
config-unknown-setting = configuration: unknown setting "{ $key }"
