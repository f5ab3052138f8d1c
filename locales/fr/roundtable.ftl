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
