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
join-in = Join in { $language }:
no-common-language = This session is held in { $list }, none of your languages.

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
page-your-zone = your zone
page-sessions = Sessions
page-participants = Participants
page-zone = Zone
page-local-time = Local time
page-working = working hours
page-outside = outside working hours
page-night = night
page-next-day = next day
