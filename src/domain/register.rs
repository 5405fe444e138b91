//! R11: the four registers — their keys, number prefixes and CONTRACT.md's columns. Pure
//! data: the numbers (`models::register_counter`), the lines (`models::register_lines`) and
//! the export (`registers::export`) all name a register by this enum.

/// The registers and their number prefixes (CONTRACT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Register {
    Archives,
    CallRecords,
    CallRegister,
    LetterRegister,
}

impl Register {
    pub fn key(self) -> &'static str {
        match self {
            Register::Archives => "archives",
            Register::CallRecords => "call-records",
            Register::CallRegister => "call-register",
            Register::LetterRegister => "letter-register",
        }
    }
    pub fn prefix(self) -> &'static str {
        match self {
            Register::Archives => "DA",
            Register::CallRecords => "JL",
            Register::CallRegister => "DH",
            Register::LetterRegister => "XH",
        }
    }
}

/// `DA-2026-000001`
pub fn format(register: Register, year: i32, n: i32) -> String {
    format!("{}-{year:04}-{n:06}", register.prefix())
}

impl Register {
    pub const ALL: [Register; 4] = [
        Register::Archives,
        Register::CallRecords,
        Register::CallRegister,
        Register::LetterRegister,
    ];

    pub fn parse(s: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.key() == s)
    }

    /// CONTRACT.md's column keys; the headers are their translations (`col-<register>-<key>`).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Register::Archives => &[
                "archive_no",
                "customer_name",
                "address",
                "phone",
                "visit_date",
                "vehicle_model",
                "plate",
                "vehicle_type",
                "items",
                "maintenance_interval",
                "next_maintenance_date",
                "desired_services",
                "service_history",
                "due_date",
                "archived_on",
                "archived_by",
            ],
            Register::CallRecords => &[
                "record_no",
                "called_at",
                "direction",
                "category",
                "customer_name",
                "phone",
                "plate",
                "key_points",
                "items_raised",
                "handling",
                "handled_by",
                // X6: the satisfaction asked on a reached follow-up (empty: not asked).
                "satisfaction",
            ],
            Register::CallRegister => &[
                "register_no",
                "date",
                "customer_name",
                "phone",
                "direction",
                "category",
                "outcome",
                "handled_by",
                "record_no",
            ],
            Register::LetterRegister => &[
                "register_no",
                "sent_on",
                "customer_name",
                "address",
                "letter_kind",
                "subject",
                "handled_by",
                "related_to",
            ],
        }
    }
}
