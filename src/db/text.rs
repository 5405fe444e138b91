//! The domain's enums as text columns (issue 15): a row reads `kind`, `status`, `role`,
//! `outcome`, … as the enum itself, so a string compare no longer compiles, and a value the
//! enum does not know is an error when the row is read, never a silent default. Writes go
//! through `as_str()`, or `#[diesel(serialize_as = String)]` on an insertable row (the same
//! text the migrations' CHECKs allow).

use super::MultiBackend;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::sql_types::{Nullable, Text};

macro_rules! text_column {
    ($($t:ty),+ $(,)?) => {$(
        impl FromSql<Text, MultiBackend> for $t {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = <String as FromSql<Text, MultiBackend>>::from_sql(bytes)?;
                <$t>::parse(&s).ok_or_else(|| {
                    format!("{s:?} is not a known {}", stringify!($t)).into()
                })
            }
        }
        impl Queryable<Text, MultiBackend> for $t {
            type Row = Self;
            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
        /// An insertable row writes it as its text (`#[diesel(serialize_as = String)]`).
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.as_str().to_string()
            }
        }
    )+};
}

use crate::domain::archive::Purpose;
use crate::domain::call::{Category, Direction, EventAnswer, ItemKind, Outcome};
use crate::domain::event::EventKind;
use crate::domain::item::{ItemStatus, ItemStep};
use crate::domain::letter::LetterKind;
use crate::domain::privacy::AnonymisationSource;
use crate::domain::role::Role;
use crate::domain::task::{CloseReason, TaskKind, TaskStatus};
use crate::domain::visit::{VisitKind, VisitSource};

text_column!(
    TaskKind,
    TaskStatus,
    CloseReason,
    Direction,
    Category,
    Outcome,
    ItemKind,
    ItemStatus,
    ItemStep,
    EventKind,
    Role,
    LetterKind,
    VisitKind,
    VisitSource,
    Purpose,
    EventAnswer,
    AnonymisationSource,
);

/// An optional enum as an insertable row writes it (`#[diesel(serialize_as = NullableText)]`
/// on an `Option<Enum>` field): its text, or NULL. Needed because `From<Option<Enum>> for
/// Option<String>` is not ours to implement (both types are foreign to this crate).
#[derive(Debug, Clone)]
pub struct NullableText(pub Option<String>);

impl<T: Into<String>> From<Option<T>> for NullableText {
    fn from(v: Option<T>) -> NullableText {
        NullableText(v.map(Into::into))
    }
}

impl AsExpression<Nullable<Text>> for NullableText {
    type Expression = <Option<String> as AsExpression<Nullable<Text>>>::Expression;
    fn as_expression(self) -> Self::Expression {
        AsExpression::<Nullable<Text>>::as_expression(self.0)
    }
}
