//! Windows time-zone names → IANA names (CLDR windowsZones). Being written; see issue 5.
