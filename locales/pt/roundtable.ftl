# Mensagens do roundtable em português (ver ../en/roundtable.ftl).

## Calendários e e-mails dos participantes

your-time = Seu horário:
more-occurrences = … e mais { $count }
moved = (remarcada)
session-time = Horário da sessão:
utc-time = UTC:
occurrence-count = { $count ->
    [one] { $count } sessão
   *[other] { $count } sessões
}
join = Participar:
on-day = Em { $day }:
join-on-day = Participar em { $day }:
time-span = { $date }, { $start }–{ $end } ({ $zone })
time-span-days = { $date }, { $start } – { $end-date }, { $end } ({ $zone })
time-span-bare = { $date }, { $start }–{ $end }
cancelled = cancelada
languages = Idiomas: { $list }
interpretation = Interpretação: { $note }
join-in = Participar em { $language }:
no-common-language = Esta sessão é realizada em { $list }, nenhum dos seus idiomas.

## Nomes dos idiomas

lang-en = English
lang-es = Español
lang-fr = Français
lang-pt = Português
lang-ar = العربية

## A página

page-language = Idioma
page-when = Quando é para você?
page-show-times-in = Mostrar horários em
page-your-zone = seu fuso horário
page-sessions = Sessões
page-participants = Participantes
page-zone = Fuso horário
page-local-time = Hora local
page-working = horário de trabalho
page-outside = fora do horário de trabalho
page-night = noite
page-next-day = dia seguinte
