# Messages de roundtable en français (voir ../en/roundtable.ftl pour les explications).

## Calendriers et courriels des participants

your-time = Votre heure :
more-occurrences = … et { $count } de plus
moved = (déplacée)
session-time = Heure de la séance :
utc-time = UTC :
occurrence-count = { $count ->
    [one] { $count } occurrence
   *[other] { $count } occurrences
}
join = Rejoindre :
on-day = Le { $day } :
join-on-day = Rejoindre le { $day } :
time-span = { $date }, { $start }–{ $end } ({ $zone })
time-span-days = { $date }, { $start } – { $end-date }, { $end } ({ $zone })
time-span-bare = { $date }, { $start }–{ $end }
cancelled = annulée
languages = Langues : { $list }
interpretation = Interprétation : { $note }
join-in = Rejoindre en { $language } :
no-common-language = Cette séance se tient en { $list }, aucune de vos langues.

## Noms des langues

lang-en = English
lang-es = Español
lang-fr = Français
lang-pt = Português
lang-ar = العربية

## La page

page-language = Langue
page-when = Quand est-ce pour vous ?
page-show-times-in = Afficher les heures en
page-your-zone = votre fuseau
page-sessions = Séances
page-participants = Participants
page-zone = Fuseau horaire
page-local-time = Heure locale
page-working = heures de travail
page-outside = hors des heures de travail
page-night = nuit
page-next-day = lendemain
