//! A bare SQLite connection for bulk inserts: prepared once, bound and stepped per row.

use super::V;
use libsqlite3_sys as ffi;
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::os::raw::c_int;

pub struct Raw {
    db: *mut ffi::sqlite3,
    stmts: HashMap<usize, *mut ffi::sqlite3_stmt>,
}

// SAFETY: the bundled SQLite is built thread-safe (SQLITE_THREADSAFE=1), and a `Raw` is
// used by one thread at a time: it moves to the writer thread and back, never shared.
unsafe impl Send for Raw {}

fn err(db: *mut ffi::sqlite3, what: &str) -> anyhow::Error {
    // SAFETY: `db` is an open connection; the message is copied at once.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }
        .to_string_lossy()
        .to_string();
    anyhow::anyhow!("{what}: {msg}")
}

impl Raw {
    pub fn open(path: &str) -> anyhow::Result<Raw> {
        let c = CString::new(path)?;
        let mut db = std::ptr::null_mut();
        // SAFETY: FFI call with a valid C string and out pointer.
        let rc = unsafe {
            ffi::sqlite3_open_v2(
                c.as_ptr(),
                &mut db,
                ffi::SQLITE_OPEN_READWRITE,
                std::ptr::null(),
            )
        };
        let raw = Raw {
            db,
            stmts: HashMap::new(),
        };
        if rc != ffi::SQLITE_OK {
            return Err(err(db, "opening the database"));
        }
        raw.exec("PRAGMA busy_timeout = 10000")?;
        Ok(raw)
    }

    pub fn exec(&self, sql: &str) -> anyhow::Result<()> {
        let c = CString::new(sql)?;
        // SAFETY: FFI call on an open connection with a valid C string.
        let rc = unsafe {
            ffi::sqlite3_exec(
                self.db,
                c.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(err(self.db, sql));
        }
        Ok(())
    }

    /// Rows of (name, sql) text pairs: the schema objects the load drops and builds again.
    pub fn ddl<T: From<(String, String)>>(&self, sql: &str) -> anyhow::Result<Vec<T>> {
        let c = CString::new(sql)?;
        let mut stmt = std::ptr::null_mut();
        let mut out = Vec::new();
        // SAFETY: FFI calls on an open connection; column texts are copied before the
        // next step, and the statement is finalised once.
        unsafe {
            if ffi::sqlite3_prepare_v2(self.db, c.as_ptr(), -1, &mut stmt, std::ptr::null_mut())
                != ffi::SQLITE_OK
            {
                return Err(err(self.db, sql));
            }
            let text = |i: c_int| -> String {
                let p = ffi::sqlite3_column_text(stmt, i);
                if p.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(p.cast()).to_string_lossy().into_owned()
                }
            };
            let mut rc = ffi::sqlite3_step(stmt);
            while rc == ffi::SQLITE_ROW {
                out.push(T::from((text(0), text(1))));
                rc = ffi::sqlite3_step(stmt);
            }
            ffi::sqlite3_finalize(stmt);
            if rc != ffi::SQLITE_DONE {
                return Err(err(self.db, sql));
            }
        }
        Ok(out)
    }

    pub fn insert(&mut self, t: usize, name: &str, cols: &str, row: &[V]) -> anyhow::Result<()> {
        let db = self.db;
        let stmt = match self.stmts.get(&t) {
            Some(s) => *s,
            None => {
                let n = cols.split(',').count();
                let marks = vec!["?"; n].join(",");
                let sql = CString::new(format!("INSERT INTO {name} ({cols}) VALUES ({marks})"))?;
                let mut s = std::ptr::null_mut();
                // SAFETY: FFI call on an open connection with a valid C string.
                let rc = unsafe {
                    ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut s, std::ptr::null_mut())
                };
                if rc != ffi::SQLITE_OK {
                    return Err(err(db, "prepare"));
                }
                self.stmts.insert(t, s);
                s
            }
        };
        // SAFETY: `stmt` is a prepared statement of this connection; text buffers live
        // until the step below (SQLITE_TRANSIENT copies them anyway).
        unsafe {
            for (i, v) in row.iter().enumerate() {
                let i = (i + 1) as c_int;
                let rc = match v {
                    V::Null => ffi::sqlite3_bind_null(stmt, i),
                    V::Int(x) => ffi::sqlite3_bind_int64(stmt, i, *x),
                    V::Bool(b) => ffi::sqlite3_bind_int64(stmt, i, i64::from(*b)),
                    V::Text(s) => bind_text(stmt, i, s),
                    V::Str(s) => bind_text(stmt, i, s),
                    V::Date(_) | V::Ts(_) => {
                        let mut buf = [0u8; 19];
                        let n = v.date_text(&mut buf).unwrap_or(0);
                        bind_text(stmt, i, std::str::from_utf8_unchecked(&buf[..n]))
                    }
                };
                if rc != ffi::SQLITE_OK {
                    return Err(err(db, "bind"));
                }
            }
            let rc = ffi::sqlite3_step(stmt);
            ffi::sqlite3_reset(stmt);
            if rc != ffi::SQLITE_DONE {
                return Err(err(db, &format!("insert into {name}")));
            }
        }
        Ok(())
    }
}

unsafe fn bind_text(stmt: *mut ffi::sqlite3_stmt, i: c_int, s: &str) -> c_int {
    ffi::sqlite3_bind_text(
        stmt,
        i,
        s.as_ptr().cast(),
        s.len() as c_int,
        ffi::SQLITE_TRANSIENT(),
    )
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: finalising this connection's statements, then closing it, once.
        unsafe {
            for s in self.stmts.values() {
                ffi::sqlite3_finalize(*s);
            }
            ffi::sqlite3_close(self.db);
        }
    }
}
