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
no-common-language = Esta sessão é realizada em { $list }, nenhum dos seus idiomas.


## E-mails (send)

mail-replaces = Este convite substitui o enviado antes: a sessão mudou.
mail-cancelled-time = Seu horário: { $time } — cancelada
mail-session-cancelled = { $title } foi cancelada
mail-no-longer-invited = Você não está mais convidado(a) para { $title }; a sessão em si continua
mail-every-occurrence = (todas as sessões)
mail-footer =
    De { $name } <{ $email }>. Seu programa de e-mail mostra isto como um convite (Aceitar / Recusar);
    o arquivo invite.ics anexo atualiza qualquer outro calendário.
mail-subject-cancelled = Cancelada: { $title }
mail-subject-invitation = Convite: { $title } — { $when }
mail-subject-updated = Convite atualizado: { $title } — { $when }
time-start = { $date }, { $start } ({ $zone })

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
page-times-in = Horários em
page-add-programme = Adicionar todo o programa ao seu calendário (.ics)
page-own-calendar = ; a organização envia o endereço do seu próprio calendário, só com as suas sessões.
page-organized-by = Organizado por
page-sessions = Sessões por fuso horário
page-legend = Em cada linha, as horas do dia desse fuso desde a meia-noite; a sessão é desenhada sobre elas:
page-working = horário de trabalho
page-outside = fora do horário de trabalho
page-night = noite
page-legend-end = ; uma sessão que passa da meia-noite continua a partir de 00, marcada +1.
page-join-link = Link para participar
page-summary = Para a organização: conflitos
page-languages = Idiomas
page-interpretation = Interpretação
