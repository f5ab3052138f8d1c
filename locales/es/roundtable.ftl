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

## Las palabras propias de la página

page-programme-page = página del programa
page-noscript-times = Las horas se muestran en
page-and-utc = y en UTC.
page-this-device = (este dispositivo)
page-day = día
page-days = días
page-join = Unirse:
page-moved-from = Trasladada del
page-moved-to = (hora de la sesión) al
page-join-day = Enlace para unirse este día
page-and = y
page-more-listed = más (en la lista de arriba)
page-participants-count = participantes
page-answers = Respuestas a la invitación:
page-accepted = aceptadas
page-tentative = provisionales
page-declined = rechazadas
page-no-answer = sin respuesta
page-grid-caption = Horas locales de
page-grid-caption-end = por zona horaria
page-grid-zone = zona (participantes), hora local
page-hours-work = trabajo
page-hours-night = noche
page-on = el
page-errors = errores
page-warnings = avisos
page-info = informativas
page-nobody-named = Aquí no se nombra a ningún participante; el informe propio del organizador indica quién, y los choques con los calendarios de los participantes.
page-by-session = Por sesión
page-by-day = Por día (las fechas de las sesiones en
page-by-line = Por sesión, zona y hora local
page-by-line-caption = Conflictos por sesión, zona y hora local
page-burden = Carga por región
page-col-session = sesión
page-col-kind = tipo
page-col-participants = participantes
page-col-occurrences = sesiones
page-col-date = fecha
page-col-zone = zona
page-col-local = hora local
page-col-region = región
page-col-night = minutos de noche
page-col-outside = minutos fuera del horario laboral
page-col-name = nombre
page-col-calendar = calendario
page-more-before = … y
page-more-lines = líneas más.
page-kind-night = noche
page-kind-outside-hours = fuera de horario
page-kind-overlap = solapamiento
page-kind-busy = ocupado
page-kind-weekend = fin de semana
page-kind-dst-shift = cambio de hora
page-kind-date-shift = cambio de fecha
page-kind-language = idioma
page-severity-error = error
page-severity-warning = aviso
page-severity-info = información
page-own-title = Tu propio calendario
page-own-text = Cada participante tiene un calendario con solo sus sesiones, y cada descripción empieza con su propia hora local. Su dirección es privada: el organizador te la envía. Añádelo a tu aplicación de calendario como suscripción (o cambia https:// por webcal://) y los cambios llegarán solos.
page-listed-title = Calendarios de los participantes
page-listed-text = Cada calendario contiene solo las sesiones de ese participante, y cada descripción empieza con su propia hora local. Servidos desde un alojamiento web, estos archivos son URL de suscripción.
page-first = Se listan los primeros
page-of = de
page-are-listed = participantes.
page-next-day = día siguiente,
