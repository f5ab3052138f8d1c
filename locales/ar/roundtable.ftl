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
# ⁦…⁩ (LRI … PDI, invisible) keep “.ics” and the URLs left to right inside Arabic text.
page-add-programme = أضف البرنامج كله إلى تقويمك (⁦.ics⁩)
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

## كلمات الصفحة نفسها

page-programme-page = صفحة البرنامج
page-noscript-times = تُعرض الأوقات بتوقيت
page-and-utc = وبالتوقيت العالمي UTC.
page-this-device = (هذا الجهاز)
page-day = يوم
page-days = أيام
page-join = الانضمام:
page-moved-from = نُقلت من
page-moved-to = (بتوقيت الجلسة) إلى
page-join-day = رابط الانضمام لهذا اليوم
page-and = و
page-more-listed = أخرى (مذكورة أعلاه)
page-participants-count = مشاركين
page-answers = الردود على الدعوة:
page-accepted = قبول
page-tentative = مبدئي
page-declined = اعتذار
page-no-answer = دون رد
page-grid-caption = الساعات المحلية لـ
page-grid-caption-end = حسب المنطقة الزمنية
page-grid-zone = المنطقة (المشاركون)، الوقت المحلي
page-hours-work = العمل
page-hours-night = الليل
page-on = في
page-errors = أخطاء
page-warnings = تحذيرات
page-info = معلومات
page-nobody-named = لا يُذكر هنا اسم أي مشارك؛ تقرير المنظم نفسه يذكر الأسماء والتعارضات مع تقاويم المشاركين.
page-by-session = حسب الجلسة
page-by-day = حسب اليوم (تواريخ الجلسات بتوقيت
page-by-line = حسب الجلسة والمنطقة والوقت المحلي
page-by-line-caption = التعارضات حسب الجلسة والمنطقة والوقت المحلي
page-burden = العبء حسب المنطقة
page-col-session = الجلسة
page-col-kind = النوع
page-col-participants = المشاركون
page-col-occurrences = المرات
page-col-date = التاريخ
page-col-zone = المنطقة
page-col-local = الوقت المحلي
page-col-region = الإقليم
page-col-night = دقائق في الليل
page-col-outside = دقائق خارج ساعات العمل
page-col-name = الاسم
page-col-calendar = التقويم
page-more-before = … و
page-more-lines = سطور أخرى.
page-kind-night = ليل
page-kind-outside-hours = خارج الدوام
page-kind-overlap = تداخل
page-kind-busy = مشغول
page-kind-weekend = عطلة نهاية الأسبوع
page-kind-dst-shift = تغيير التوقيت الصيفي
page-kind-date-shift = تغيير التاريخ
page-kind-language = اللغة
page-severity-error = خطأ
page-severity-warning = تحذير
page-severity-info = معلومة
page-own-title = تقويمك الخاص
page-own-text = لكل مشارك تقويم فيه جلساته فقط، ويبدأ وصف كل جلسة بوقته المحلي. عنوانه خاص: يرسله إليك المنظم. أضفه إلى تطبيق التقويم لديك كاشتراك (أو ضع ⁦webcal://⁩ مكان ⁦https://⁩) وستصلك التغييرات تلقائيًا.
page-listed-title = تقاويم المشاركين
page-listed-text = يحتوي كل تقويم على جلسات ذلك المشارك فقط، ويبدأ وصف كل جلسة بوقته المحلي. عند نشر هذه الملفات على خادم ويب تصبح عناوين اشتراك.
page-first = يُعرض أول
page-of = من
page-are-listed = مشاركين.
page-next-day = اليوم التالي،
