//! R11: the four registers' lines as the amendment path reads and writes them — the original
//! looked up by id, and the corrected copy inserted with `amends` and `amend_reason` set. The
//! four tables share this shape but no type, so one macro implements `Amendable` for each.

use crate::db::schema::{archives, call_records, call_register, letter_register};
use crate::db::DbConn;
use crate::models::archive::Archive;
use crate::models::call::{CallRecord, RegisterLine};
use crate::models::letter::LetterLine;
use chrono::Datelike;
use diesel::prelude::*;

/// A register line that an amendment can correct.
pub trait Amendable: Sized + Clone {
    /// The line with this id, if there is one.
    fn find(conn: &mut DbConn, id: i32) -> QueryResult<Option<Self>>;
    /// Writes `line` as the amendment of the line numbered `amends`; returns the new id.
    fn insert_amendment(
        conn: &mut DbConn,
        line: &Self,
        amends: &str,
        reason: &str,
    ) -> QueryResult<i32>;
    fn store_id(&self) -> i32;
    /// The line's register number.
    fn number(&self) -> &str;
    /// The year the line is numbered in (the amendment takes a number of the same year).
    fn year(&self) -> i32;
    fn set_id(&mut self, id: i32);
}

macro_rules! amendable {
    ($model:ty, $t:ident, $no:ident, $date:ident) => {
        impl Amendable for $model {
            fn find(conn: &mut DbConn, id: i32) -> QueryResult<Option<Self>> {
                $t::table
                    .find(id)
                    .select(<$model>::as_select())
                    .first(conn)
                    .optional()
            }
            fn insert_amendment(
                conn: &mut DbConn,
                line: &Self,
                amends: &str,
                reason: &str,
            ) -> QueryResult<i32> {
                diesel::insert_into($t::table)
                    .values((
                        line.clone(),
                        $t::amends.eq(amends),
                        $t::amend_reason.eq(reason),
                    ))
                    .returning($t::id)
                    .get_result(conn)
            }
            fn store_id(&self) -> i32 {
                self.store_id
            }
            fn number(&self) -> &str {
                &self.$no
            }
            fn year(&self) -> i32 {
                self.$date.year()
            }
            fn set_id(&mut self, id: i32) {
                self.id = id;
            }
        }
    };
}

amendable!(RegisterLine, call_register, register_no, called_on);
amendable!(LetterLine, letter_register, register_no, sent_on);
amendable!(CallRecord, call_records, record_no, called_on);
amendable!(Archive, archives, archive_no, archived_on);
