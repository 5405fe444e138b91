//! One portable schema for both backends: only types that SQLite and PostgreSQL share
//! (integers, text, booleans, dates, UTC timestamps); enums are stored as text. Over 500 lines
//! because it is one `table!` declaration for each of the 38 tables, as diesel reads them, and
//! it holds nothing else.

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    stores (id) {
        id -> Integer,
        code -> Text,
        name -> Text,
        last_assigned_clerk_id -> Nullable<Integer>,
        created_at -> Timestamp,
        phone -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        store_id -> Nullable<Integer>,
        username -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        lang -> Nullable<Text>,
        active_for_assignment -> Bool,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Integer,
        user_id -> Integer,
        token_hash -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Integer,
        username -> Text,
        ip -> Text,
        attempted_at -> Timestamp,
        succeeded -> Bool,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        local_date -> Date,
        store_id -> Nullable<Integer>,
        actor_id -> Nullable<Integer>,
        actor -> Text,
        action -> Text,
        subject -> Text,
        detail -> Text,
        ip -> Nullable<Text>,
        result -> Text,
    }
}

diesel::table! {
    customers (id) {
        id -> Integer,
        store_id -> Integer,
        name -> Text,
        phone -> Text,
        address -> Nullable<Text>,
        clerk_id -> Nullable<Integer>,
        merged_into_id -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        no_calls -> Bool,
        no_letters -> Bool,
        call_hours -> Nullable<Text>,
        phone_flagged_on -> Nullable<Date>,
    }
}

diesel::table! {
    vehicles (id) {
        id -> Integer,
        store_id -> Integer,
        customer_id -> Integer,
        plate -> Text,
        model -> Nullable<Text>,
        vehicle_type -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> Integer,
        store_id -> Integer,
        customer_id -> Integer,
        vehicle_id -> Nullable<Integer>,
        external_id -> Nullable<Text>,
        kind -> Text,
        checked_in_at -> Timestamp,
        visit_date -> Date,
        picked_up_at -> Nullable<Timestamp>,
        picked_up_on -> Nullable<Date>,
        items -> Text,
        maintenance_interval_days -> Nullable<Integer>,
        maintenance_interval_km -> Nullable<Integer>,
        next_maintenance_date -> Nullable<Date>,
        desired_services -> Nullable<Text>,
        odometer_km -> Nullable<Integer>,
        source -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        advisor -> Nullable<Text>,
        advisor_id -> Nullable<Integer>,
        prev_visit_on -> Nullable<Date>,
        next_visit_on -> Nullable<Date>,
    }
}

diesel::table! {
    tasks (id) {
        id -> Integer,
        store_id -> Integer,
        kind -> Text,
        customer_id -> Integer,
        visit_id -> Nullable<Integer>,
        clerk_id -> Integer,
        window_start -> Date,
        window_end -> Date,
        status -> Text,
        close_reason -> Nullable<Text>,
        done_at -> Nullable<Timestamp>,
        done_on -> Nullable<Date>,
        done_by -> Nullable<Integer>,
        attempts -> Integer,
        callback_at -> Nullable<Timestamp>,
        planned_contact_id -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        callback_on -> Nullable<Date>,
        last_attempt_at -> Nullable<Timestamp>,
        last_outcome -> Nullable<Text>,
        item_id -> Nullable<Integer>,
        event_id -> Nullable<Integer>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    register_counters (store_id, register, year) {
        store_id -> Integer,
        register -> Text,
        year -> Integer,
        last_no -> Integer,
    }
}

diesel::table! {
    archives (id) {
        id -> Integer,
        store_id -> Integer,
        visit_id -> Integer,
        task_id -> Nullable<Integer>,
        customer_id -> Integer,
        archive_no -> Text,
        customer_name -> Text,
        address -> Nullable<Text>,
        phone -> Text,
        visit_date -> Date,
        vehicle_model -> Nullable<Text>,
        plate -> Nullable<Text>,
        vehicle_type -> Nullable<Text>,
        items -> Text,
        maintenance_interval_days -> Nullable<Integer>,
        maintenance_interval_km -> Nullable<Integer>,
        next_maintenance_date -> Nullable<Date>,
        desired_services -> Nullable<Text>,
        service_history -> Text,
        due_date -> Date,
        archived_at -> Timestamp,
        archived_on -> Date,
        archived_by_id -> Integer,
        archived_by -> Text,
        created_at -> Timestamp,
        amends -> Nullable<Text>,
        amend_reason -> Nullable<Text>,
    }
}

diesel::table! {
    planned_contacts (id) {
        id -> Integer,
        store_id -> Integer,
        archive_id -> Integer,
        customer_id -> Integer,
        purpose -> Text,
        planned_date -> Date,
        talking_points -> Text,
        task_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_merges (id) {
        id -> Integer,
        store_id -> Integer,
        kept_id -> Integer,
        merged_id -> Integer,
        merged_name -> Text,
        merged_phone -> Text,
        merged_by -> Nullable<Integer>,
        merged_at -> Timestamp,
        moved -> Text,
    }
}

diesel::table! {
    call_records (id) {
        id -> Integer,
        store_id -> Integer,
        record_no -> Text,
        customer_id -> Integer,
        task_id -> Nullable<Integer>,
        direction -> Text,
        category -> Text,
        outcome -> Text,
        called_at -> Timestamp,
        called_on -> Date,
        callback_at -> Nullable<Timestamp>,
        customer_name -> Text,
        phone -> Text,
        plate -> Nullable<Text>,
        topics -> Text,
        key_points -> Text,
        satisfied -> Nullable<Bool>,
        event_answer -> Nullable<Text>,
        handled_by_id -> Integer,
        handled_by -> Text,
        covering_for_id -> Nullable<Integer>,
        created_at -> Timestamp,
        amends -> Nullable<Text>,
        amend_reason -> Nullable<Text>,
    }
}

diesel::table! {
    call_register (id) {
        id -> Integer,
        store_id -> Integer,
        register_no -> Text,
        call_record_id -> Integer,
        record_no -> Text,
        called_on -> Date,
        customer_name -> Text,
        phone -> Text,
        direction -> Text,
        category -> Text,
        outcome -> Text,
        handled_by_id -> Integer,
        handled_by -> Text,
        created_at -> Timestamp,
        amends -> Nullable<Text>,
        amend_reason -> Nullable<Text>,
    }
}

diesel::table! {
    items (id) {
        id -> Integer,
        store_id -> Integer,
        customer_id -> Integer,
        call_record_id -> Integer,
        clerk_id -> Integer,
        kind -> Text,
        text -> Text,
        answered_on_call -> Bool,
        answer -> Nullable<Text>,
        status -> Text,
        raised_at -> Timestamp,
        raised_on -> Date,
        created_at -> Timestamp,
        escalated_at -> Nullable<Timestamp>,
        escalated_on -> Nullable<Date>,
        solution -> Nullable<Text>,
        solved_at -> Nullable<Timestamp>,
        solved_on -> Nullable<Date>,
        told_on -> Nullable<Date>,
        satisfied -> Nullable<Bool>,
        closed_on -> Nullable<Date>,
    }
}

diesel::table! {
    item_events (id) {
        id -> Integer,
        item_id -> Integer,
        kind -> Text,
        text -> Text,
        at -> Timestamp,
        on_date -> Date,
        by_id -> Nullable<Integer>,
        by_name -> Text,
    }
}

diesel::table! {
    events (id) {
        id -> Integer,
        store_id -> Integer,
        kind -> Text,
        title -> Text,
        starts_on -> Date,
        ends_on -> Date,
        place -> Text,
        content -> Text,
        audience -> Text,
        created_on -> Date,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    event_invitees (id) {
        id -> Integer,
        event_id -> Integer,
        customer_id -> Integer,
        notice_task_id -> Nullable<Integer>,
        answer -> Nullable<Text>,
    }
}

diesel::table! {
    letter_templates (id) {
        id -> Integer,
        store_id -> Integer,
        kind -> Text,
        lang -> Text,
        subject -> Text,
        body -> Text,
        updated_by -> Nullable<Integer>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    letter_register (id) {
        id -> Integer,
        store_id -> Integer,
        register_no -> Text,
        sent_on -> Date,
        customer_id -> Integer,
        customer_name -> Text,
        address -> Text,
        letter_kind -> Text,
        subject -> Text,
        body -> Text,
        related_to -> Text,
        task_id -> Nullable<Integer>,
        event_id -> Nullable<Integer>,
        item_id -> Nullable<Integer>,
        handled_by_id -> Integer,
        handled_by -> Text,
        created_at -> Timestamp,
        amends -> Nullable<Text>,
        amend_reason -> Nullable<Text>,
    }
}

diesel::table! {
    absences (id) {
        id -> Integer,
        store_id -> Integer,
        clerk_id -> Integer,
        substitute_id -> Integer,
        from_date -> Date,
        to_date -> Date,
        note -> Nullable<Text>,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_runs (job) {
        job -> Text,
        last_run_at -> Timestamp,
        last_result -> Text,
    }
}

diesel::table! {
    digests (id) {
        id -> Integer,
        store_id -> Integer,
        for_date -> Date,
        overdue_tasks -> Integer,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    register_chain (id) {
        id -> Integer,
        store_id -> Integer,
        register -> Text,
        year -> Integer,
        line_id -> Integer,
        prev_hash -> Text,
        hash -> Text,
        personal_digest -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    chain_heads (id) {
        id -> Integer,
        store_id -> Integer,
        register -> Text,
        year -> Integer,
        line_count -> Integer,
        head_hash -> Text,
        purpose -> Text,
        given_at -> Timestamp,
    }
}

diesel::table! {
    anonymisations (id) {
        id -> Integer,
        store_id -> Integer,
        customer_id -> Integer,
        source -> Text,
        reason -> Text,
        by_id -> Nullable<Integer>,
        by_name -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    anonymise_pass (customer_id) {
        customer_id -> Integer,
    }
}

diesel::table! {
    export_grants (id) {
        id -> Integer,
        store_id -> Nullable<Integer>,
        grantee_id -> Integer,
        granted_by_id -> Integer,
        reason -> Text,
        granted_at -> Timestamp,
        expires_on -> Date,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// R10: monthly and yearly summaries, drafts and filed versions.
    summaries (id) {
        id -> Integer,
        store_id -> Nullable<Integer>,
        kind -> Text,
        period -> Text,
        version -> Integer,
        status -> Text,
        figures -> Text,
        went_well -> Text,
        problems -> Text,
        measures -> Text,
        meeting_on -> Nullable<Date>,
        attendees -> Text,
        correction_reason -> Nullable<Text>,
        chain_heads -> Text,
        drafted_at -> Timestamp,
        updated_at -> Timestamp,
        updated_by -> Text,
        filed_at -> Nullable<Timestamp>,
        filed_by_id -> Nullable<Integer>,
        filed_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// X8: the service advisors the admin keeps.
    advisors (id) {
        id -> Integer,
        store_id -> Integer,
        name -> Text,
        norm_name -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// X6: the satisfaction asked on a reached first or second follow-up.
    call_satisfaction (call_record_id) {
        call_record_id -> Integer,
        store_id -> Integer,
        customer_id -> Integer,
        called_on -> Date,
        handled_by_id -> Integer,
        advisor_id -> Nullable<Integer>,
        score -> Nullable<Integer>,
        declined -> Bool,
        aspects -> Text,
    }
}

diesel::table! {
    satisfaction_aspects (call_record_id, aspect) {
        call_record_id -> Integer,
        aspect -> Text,
        score -> Integer,
    }
}

diesel::table! {
    /// X7: why a lost customer stopped coming.
    win_back_answers (call_record_id) {
        call_record_id -> Integer,
        task_id -> Integer,
        reason -> Text,
        text -> Text,
    }
}

diesel::joinable!(customers -> stores (store_id));
diesel::joinable!(vehicles -> customers (customer_id));
diesel::joinable!(visits -> customers (customer_id));
diesel::joinable!(tasks -> customers (customer_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));

diesel::table! {
    audit_chain (seq) {
        seq -> Integer,
        audit_id -> Integer,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    app_meta,
    audit_chain,
    stores,
    users,
    sessions,
    api_tokens,
    login_attempts,
    audit_log,
    customers,
    vehicles,
    visits,
    tasks,
    register_counters,
    archives,
    planned_contacts,
    customer_merges,
    call_records,
    call_register,
    items,
    absences,
    job_runs,
    digests,
    item_events,
    events,
    event_invitees,
    letter_templates,
    letter_register,
    register_chain,
    chain_heads,
    anonymisations,
    anonymise_pass,
    export_grants,
    summaries,
    advisors,
    call_satisfaction,
    satisfaction_aspects,
    win_back_answers,
);

diesel::table! {
    /// Issue 11: each user's queue version, bumped by triggers on every write their queue shows.
    queue_versions (user_id) {
        user_id -> Integer,
        version -> BigInt,
    }
}
