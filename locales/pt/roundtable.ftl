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

## As palavras da própria página

page-programme-page = página do programa
page-noscript-times = Os horários são mostrados em
page-and-utc = e em UTC.
page-this-device = (este dispositivo)
page-day = dia
page-days = dias
page-join = Entrar:
page-moved-from = Transferida de
page-moved-to = (horário da sessão) para
page-join-day = Link para entrar neste dia
page-and = e
page-more-listed = a mais (listadas acima)
page-participants-count = participantes
page-answers = Respostas ao convite:
page-accepted = aceitas
page-tentative = provisórias
page-declined = recusadas
page-no-answer = sem resposta
page-grid-caption = Horários locais de
page-grid-caption-end = por fuso horário
page-grid-zone = fuso (participantes), hora local
page-hours-work = trabalho
page-hours-night = noite
page-on = em
page-errors = erros
page-warnings = avisos
page-info = informativos
page-nobody-named = Nenhum participante é nomeado aqui; o relatório do organizador indica quem, e os choques com as agendas dos participantes.
page-by-session = Por sessão
page-by-day = Por dia (as datas das sessões em
page-by-line = Por sessão, fuso e hora local
page-by-line-caption = Conflitos por sessão, fuso e hora local
page-burden = Carga por região
page-col-session = sessão
page-col-kind = tipo
page-col-participants = participantes
page-col-occurrences = ocorrências
page-col-date = data
page-col-zone = fuso
page-col-local = hora local
page-col-region = região
page-col-night = minutos à noite
page-col-outside = minutos fora do horário de trabalho
page-col-name = nome
page-col-calendar = agenda
page-more-before = … e
page-more-lines = linhas a mais.
page-kind-night = noite
page-kind-outside-hours = fora do horário
page-kind-overlap = sobreposição
page-kind-busy = ocupado
page-kind-weekend = fim de semana
page-kind-dst-shift = mudança de horário
page-kind-date-shift = mudança de data
page-kind-language = idioma
page-severity-error = erro
page-severity-warning = aviso
page-severity-info = informação
page-own-title = A sua própria agenda
page-own-text = Cada participante tem uma agenda só com as suas sessões, e cada descrição começa com a sua hora local. O endereço é privado: o organizador envia-o a você. Adicione-a ao seu aplicativo de agenda como assinatura (ou troque https:// por webcal://) e as mudanças chegam sozinhas.
page-listed-title = Agendas dos participantes
page-listed-text = Cada agenda contém só as sessões desse participante, e cada descrição começa com a sua hora local. Servidos por um servidor web, estes arquivos são URLs de assinatura.
page-first = Os primeiros
page-of = de
page-are-listed = são listados.
page-next-day = dia seguinte,
