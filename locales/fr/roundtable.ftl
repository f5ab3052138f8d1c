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
no-common-language = Cette séance se tient en { $list }, aucune de vos langues.


## Courriels (send)

mail-replaces = Cette invitation remplace la précédente : la séance a changé.
mail-cancelled-time = Votre heure : { $time } — annulée
mail-session-cancelled = { $title } est annulée
mail-no-longer-invited = Vous n’êtes plus invité·e à { $title } ; la séance elle-même a lieu
mail-every-occurrence = (toutes les occurrences)
mail-footer =
    De { $name } <{ $email }>. Votre messagerie affiche ceci comme une invitation (Accepter / Refuser) ;
    le fichier invite.ics joint met à jour tout autre agenda.
mail-subject-cancelled = Annulée : { $title }
mail-subject-invitation = Invitation : { $title } — { $when }
mail-subject-updated = Invitation mise à jour : { $title } — { $when }
time-start = { $date }, { $start } ({ $zone })

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
page-times-in = Heures en
page-add-programme = Ajouter tout le programme à votre agenda (.ics)
page-own-calendar = ; l’organisateur vous envoie l’adresse de votre propre agenda, avec vos seules séances.
page-organized-by = Organisé par
page-sessions = Séances par fuseau horaire
page-legend = Chaque ligne montre les heures de la journée de ce fuseau depuis minuit ; la séance y est tracée :
page-working = heures de travail
page-outside = hors des heures de travail
page-night = nuit
page-legend-end = ; une séance qui dépasse minuit continue à partir de 00, marquée +1.
page-join-link = Lien pour rejoindre
page-summary = Pour les organisateurs : conflits
page-languages = Langues
page-interpretation = Interprétation

## Les mots de la page elle-même

page-programme-page = page du programme
page-noscript-times = Les heures sont affichées en
page-and-utc = et en UTC.
page-this-device = (cet appareil)
page-day = jour
page-days = jours
page-join = Rejoindre :
page-moved-from = Déplacée du
page-moved-to = (heure de la séance) au
page-join-day = Lien pour rejoindre ce jour-là
page-and = et
page-more-listed = de plus (listées plus haut)
page-participants-count = participants
page-answers = Réponses à l’invitation :
page-accepted = acceptées
page-tentative = provisoires
page-declined = refusées
page-no-answer = sans réponse
page-grid-caption = Heures locales de
page-grid-caption-end = par fuseau horaire
page-grid-zone = fuseau (participants), heure locale
page-hours-work = travail
page-hours-night = nuit
page-on = le
page-errors = erreurs
page-warnings = avertissements
page-info = informations
page-nobody-named = Aucun participant n’est nommé ici ; le rapport de l’organisateur indique qui, ainsi que les chevauchements avec les agendas des participants.
page-by-session = Par séance
page-by-day = Par jour (les dates des séances en
page-by-line = Par séance, fuseau et heure locale
page-by-line-caption = Conflits par séance, fuseau et heure locale
page-burden = Charge par région
page-col-session = séance
page-col-kind = type
page-col-participants = participants
page-col-occurrences = occurrences
page-col-date = date
page-col-zone = fuseau
page-col-local = heure locale
page-col-region = région
page-col-night = minutes de nuit
page-col-outside = minutes hors des heures de travail
page-col-name = nom
page-col-calendar = agenda
page-more-before = … et
page-more-lines = lignes de plus.
page-kind-night = nuit
page-kind-outside-hours = hors horaires
page-kind-overlap = chevauchement
page-kind-busy = occupé
page-kind-weekend = week-end
page-kind-dst-shift = changement d’heure
page-kind-date-shift = changement de date
page-kind-language = langue
page-severity-error = erreur
page-severity-warning = avertissement
page-severity-info = information
page-own-title = Votre propre agenda
page-own-text = Chaque participant a un agenda avec ses seules séances, chaque description commençant par son heure locale. Son adresse est privée : l’organisateur vous l’envoie. Ajoutez-le à votre application d’agenda comme abonnement (ou remplacez https:// par webcal://) et les changements arrivent d’eux-mêmes.
page-listed-title = Agendas des participants
page-listed-text = Chaque agenda ne contient que les séances de ce participant, chaque description commençant par son heure locale. Servis par un hébergeur web, ces fichiers sont des adresses d’abonnement.
page-first = Les
page-of = premiers sur
page-are-listed = sont listés.
page-next-day = jour suivant,
