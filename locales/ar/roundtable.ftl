# رسائل roundtable بالعربية (انظر ../en/roundtable.ftl).

## تقويمات المشاركين ورسائلهم

your-time = توقيتك:
more-occurrences = … و{ $count } أخرى
moved = (نُقلت)
session-time = توقيت الجلسة:
utc-time = التوقيت العالمي:
occurrence-count = { $count ->
    [zero] لا جلسات
    [one] جلسة واحدة
    [two] جلستان
    [few] { $count } جلسات
   *[other] { $count } جلسة
}
join = الانضمام:
on-day = في { $day }:
join-on-day = الانضمام في { $day }:
time-span = { $date }، { $start }–{ $end } ({ $zone })
time-span-days = { $date }، { $start } – { $end-date }، { $end } ({ $zone })
time-span-bare = { $date }، { $start }–{ $end }
cancelled = أُلغيت
languages = اللغات: { $list }
interpretation = الترجمة الفورية: { $note }
no-common-language = تُعقد هذه الجلسة بـ{ $list }، وليست أيًّا من لغاتك.


## الرسائل (send)

mail-replaces = تحل هذه الدعوة محل الدعوة المرسلة سابقًا: لقد تغيّرت الجلسة.
mail-cancelled-time = توقيتك: { $time } — أُلغيت
mail-session-cancelled = أُلغيت { $title }
mail-no-longer-invited = لم تعد مدعوًا إلى { $title }؛ أما الجلسة نفسها فمستمرة
mail-every-occurrence = (جميع المواعيد)
mail-footer =
    من { $name } <{ $email }>. يعرض برنامج البريد هذه الرسالة كدعوة (قبول / رفض)؛
    ويحدّث الملف المرفق invite.ics أي تقويم آخر.
mail-subject-cancelled = أُلغيت: { $title }
mail-subject-invitation = دعوة: { $title } — { $when }
mail-subject-updated = دعوة محدّثة: { $title } — { $when }
time-start = { $date }، { $start } ({ $zone })

## أسماء اللغات

lang-en = English
lang-es = Español
lang-fr = Français
lang-pt = Português
lang-ar = العربية

## الصفحة

page-language = اللغة
page-when = متى تكون بالنسبة إليك؟
page-show-times-in = عرض الأوقات بتوقيت
page-times-in = الأوقات بتوقيت
page-add-programme = أضف البرنامج كله إلى تقويمك (.ics)
page-own-calendar = ؛ يرسل إليك المنظم عنوان تقويمك الخاص، وفيه جلساتك فقط.
page-organized-by = من تنظيم
page-sessions = الجلسات حسب المنطقة الزمنية
page-legend = في كل صف ساعات يوم تلك المنطقة بدءًا من منتصف الليل، والجلسة مرسومة عليها:
page-working = ساعات العمل
page-outside = خارج ساعات العمل
page-night = الليل
page-legend-end = ؛ الجلسة التي تتجاوز منتصف الليل تستمر من 00 وعليها +1.
page-join-link = رابط الانضمام
page-summary = للمنظمين: التعارضات
page-languages = اللغات
page-interpretation = الترجمة الفورية
