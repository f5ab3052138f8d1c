# Mensajes de roundtable en español (véase ../en/roundtable.ftl).

## Calendarios y correos de los participantes

your-time = Su hora:
more-occurrences = … y { $count } más
moved = (trasladada)
session-time = Hora de la sesión:
utc-time = UTC:
occurrence-count = { $count ->
    [one] { $count } sesión
   *[other] { $count } sesiones
}
join = Unirse:
on-day = El { $day }:
join-on-day = Unirse el { $day }:
time-span = { $date }, { $start }–{ $end } ({ $zone })
time-span-days = { $date }, { $start } – { $end-date }, { $end } ({ $zone })
time-span-bare = { $date }, { $start }–{ $end }
cancelled = cancelada
languages = Idiomas: { $list }
interpretation = Interpretación: { $note }
join-in = Unirse en { $language }:
no-common-language = Esta sesión se celebra en { $list }, ninguno de sus idiomas.

## Nombres de los idiomas

lang-en = English
lang-es = Español
lang-fr = Français
lang-pt = Português
lang-ar = العربية

## La página

page-language = Idioma
page-when = ¿Cuándo es para usted?
page-show-times-in = Mostrar las horas en
page-your-zone = su zona horaria
page-sessions = Sesiones
page-participants = Participantes
page-zone = Zona horaria
page-local-time = Hora local
page-working = horario laboral
page-outside = fuera del horario laboral
page-night = noche
page-next-day = día siguiente
