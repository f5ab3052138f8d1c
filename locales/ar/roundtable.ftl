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
join-in = الانضمام بـ{ $language }:
no-common-language = تُعقد هذه الجلسة بـ{ $list }، وليست أيًّا من لغاتك.

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
page-your-zone = منطقتك الزمنية
page-sessions = الجلسات
page-participants = المشاركون
page-zone = المنطقة الزمنية
page-local-time = التوقيت المحلي
page-working = ساعات العمل
page-outside = خارج ساعات العمل
page-night = الليل
page-next-day = اليوم التالي
