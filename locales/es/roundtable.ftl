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
no-common-language = Esta sesión se celebra en { $list }, ninguno de sus idiomas.


## Correos (send)

mail-replaces = Esta invitación reemplaza la enviada antes: la sesión ha cambiado.
mail-cancelled-time = Su hora: { $time } — cancelada
mail-session-cancelled = { $title } está cancelada
mail-no-longer-invited = Ya no está invitado/a a { $title }; la sesión en sí continúa
mail-every-occurrence = (todas las sesiones)
mail-footer =
    De { $name } <{ $email }>. Su programa de correo muestra esto como una invitación (Aceptar / Rechazar);
    el archivo invite.ics adjunto actualiza cualquier otro calendario.
mail-subject-cancelled = Cancelada: { $title }
mail-subject-invitation = Invitación: { $title } — { $when }
mail-subject-updated = Invitación actualizada: { $title } — { $when }
time-start = { $date }, { $start } ({ $zone })

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
page-times-in = Horas en
page-add-programme = Añadir todo el programa a su calendario (.ics)
page-own-calendar = ; la organización le envía la dirección de su propio calendario, solo con sus sesiones.
page-organized-by = Organizado por
page-sessions = Sesiones por zona horaria
page-legend = En cada fila, las horas del día de esa zona desde la medianoche; la sesión se dibuja sobre ellas:
page-working = horario laboral
page-outside = fuera del horario laboral
page-night = noche
page-legend-end = ; una sesión que pasa la medianoche continúa desde 00, marcada +1.
page-join-link = Enlace para unirse
page-summary = Para la organización: conflictos
page-languages = Idiomas
page-interpretation = Interpretación
