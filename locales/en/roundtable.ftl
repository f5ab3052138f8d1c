# roundtable's messages in English: the text a participant reads (calendars, mails, the page).
# Every other locales/<lang>/roundtable.ftl has exactly these message ids (tests/i18n.rs).
# English dates and times are roundtable's own compact form ("Tue 14 Nov 2023"), kept as it
# was before localisation; the other languages format them with CLDR data (ICU4X).

## Participant calendars and mails

# The label before a participant's local time (a space follows it).
your-time = Your time:
# The rest of a long series.
more-occurrences = … and { $count } more
# A moved occurrence.
moved = (moved)
session-time = Session time:
utc-time = UTC:
occurrence-count = { $count ->
    [one] { $count } occurrence
   *[other] { $count } occurrences
}
join = Join:
on-day = On { $day }:
join-on-day = Join on { $day }:
# An occurrence on one local day: date, start–end, zone.
time-span = { $date }, { $start }–{ $end } ({ $zone })
# An occurrence ending on a later local day.
time-span-days = { $date }, { $start } – { $end-date }, { $end } ({ $zone })
# The UTC line: no zone name.
time-span-bare = { $date }, { $start }–{ $end }
cancelled = cancelled
languages = Languages: { $list }
interpretation = Interpretation: { $note }
no-common-language = This session is held in { $list }, none of your languages.


## Mails (send)

mail-replaces = This invitation replaces the one sent before: the session has changed.
mail-cancelled-time = Your time: { $time } — cancelled
mail-session-cancelled = { $title } is cancelled
mail-no-longer-invited = You are no longer invited to { $title }; the session itself goes on
mail-every-occurrence = (every occurrence)
mail-footer =
    From { $name } <{ $email }>. Your mail program shows this as an invitation (Accept / Decline);
    the attached invite.ics updates any other calendar.
mail-subject-cancelled = Cancelled: { $title }
mail-subject-invitation = Invitation: { $title } — { $when }
mail-subject-updated = Updated invitation: { $title } — { $when }
# The start of an occurrence: date, time (zone).
time-start = { $date }, { $start } ({ $zone })

## Language names, in the language itself (the page's language selector)

lang-en = English
lang-es = Español
lang-fr = Français
lang-pt = Português
lang-ar = العربية

## The overview page

page-language = Language
page-when = When is it for you?
page-show-times-in = Show times in
page-times-in = Times in
page-add-programme = Add the whole programme to your calendar (.ics)
page-own-calendar = ; the organizer sends you the address of your own calendar, with only your sessions.
page-organized-by = Organized by
page-sessions = Sessions by zone
page-legend = In each row, the hours of that zone's day from midnight; the session is drawn across them:
page-working = working hours
page-outside = outside working hours
page-night = night
page-legend-end = ; a session that runs past midnight continues from 00, marked +1.
page-join-link = Join link
page-summary = For organizers: conflicts
page-languages = Languages
page-interpretation = Interpretation

## The page's own words: headings, tables, counts (the numbers stand between two messages)

page-programme-page = programme page
page-noscript-times = Times are shown in
page-and-utc = and UTC.
page-this-device = (this device)
page-day = day
page-days = days
page-join = Join:
page-moved-from = Moved from
page-moved-to = (session time) to
page-join-day = Join link for this day
page-and = and
page-more-listed = more (listed above)
page-participants-count = participants
page-answers = Answers to the invitation:
page-accepted = accepted
page-tentative = tentative
page-declined = declined
page-no-answer = no answer
page-grid-caption = Local hours of
page-grid-caption-end = by zone
page-grid-zone = zone (participants), local time
page-hours-work = work
page-hours-night = night
page-on = on
page-errors = errors
page-warnings = warnings
page-info = info
page-nobody-named = No participant is named here; the organizer's own report lists who, and the clashes with participants' own calendars.
page-by-session = By session
page-by-day = By day (the sessions' dates in
page-by-line = By session, zone and local time
page-by-line-caption = Conflicts by session, zone and local time
page-burden = Burden by region
page-col-session = session
page-col-kind = kind
page-col-participants = participants
page-col-occurrences = occurrences
page-col-date = date
page-col-zone = zone
page-col-local = local time
page-col-region = region
page-col-night = minutes in the night
page-col-outside = minutes outside working hours
page-col-name = name
page-col-calendar = calendar
page-more-before = … and
page-more-lines = more lines.
page-kind-night = night
page-kind-outside-hours = outside-hours
page-kind-overlap = overlap
page-kind-busy = busy
page-kind-weekend = weekend
page-kind-dst-shift = dst-shift
page-kind-date-shift = date-shift
page-kind-language = language
page-severity-error = error
page-severity-warning = warning
page-severity-info = info
page-own-title = Your own calendar
page-own-text = Each participant has a calendar with only their sessions, each description opening with their own local time. Its address is private: the organizer sends it to you. Add it to your calendar app as a subscription (or replace https:// by webcal://) and changes arrive by themselves.
page-listed-title = Participants' calendars
page-listed-text = Each calendar holds only that participant's sessions, each description opening with their own local time. Served from a web host, these files are subscription URLs.
page-first = The first
page-of = of
page-are-listed = are listed.
# In a grid cell's tooltip: "01:00 next day, night".
page-next-day = next day,
