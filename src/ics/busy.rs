//! Reading participants' existing calendars (busy times). Being written; see issue 5.
