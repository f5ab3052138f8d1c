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
