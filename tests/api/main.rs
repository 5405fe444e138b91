//! Integration tests: the app spawned on port 0 against a real database of its own, driven
//! through its real surfaces (HTTP pages, the JSON API, the command line). Every scenario runs
//! on SQLite and on PostgreSQL (`both_backends!`). Test names carry the rule ids of RULES.md.

mod helpers;
mod pg_bin;
mod pg_server;

mod auth;
mod browser;
mod browser_a11y;
mod browser_items;
mod browser_layout;
mod browser_queue;
mod browser_registers;
mod browser_satisfaction;
mod browser_summary;
mod cli;
mod demo;
mod i18n;
mod i18n_screens;
mod import;
mod migrations;
mod r10_counters;
mod r10_summaries;
mod r11_amend;
mod r11_concurrency;
mod r11_export;
mod r11_held;
mod r11_integrity;
mod r11_privacy;
mod r11_tamper;
mod r11_xlsx;
mod r1_assignment;
mod r2_archive;
mod r4_items;
mod r6_events;
mod r7_calls;
mod r9_access;
mod r9_queue;
mod r9_queue_fresh;
mod r9_queue_pages;
mod registers;
mod scale;
mod seams;
mod seams_forms;
mod visits;
mod x6_x8;
mod x7_neighbours;
