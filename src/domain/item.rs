//! Requests, wishes and complaints followed to the end (R4b, R4c, R4d): the statuses an item
//! goes through and which step is allowed when.

use super::task::text_enum;

text_enum!(
    /// `answered`: closed on the call with its answer (R4b). `open`: with the clerk,
    /// researching. `escalated`: with the supervisor (R4c). `solved`: a solution is recorded and
    /// the customer must be told the same day (R4d). `closed`: told, and satisfied.
    ItemStatus { Answered = "answered", Open = "open", Escalated = "escalated", Solved = "solved", Closed = "closed" }
);

text_enum!(
    /// The steps of an item's timeline.
    ItemStep {
        Raised = "raised",
        Note = "note",
        Escalated = "escalated",
        Solved = "solved",
        Told = "told",
        Satisfied = "satisfied",
        Reopened = "reopened",
    }
);

impl ItemStatus {
    /// R4c: only an item still with the clerk can be escalated.
    pub fn can_escalate(self) -> bool {
        self == ItemStatus::Open
    }

    /// A solution can be recorded by the clerk (open) or the supervisor (escalated).
    pub fn can_solve(self) -> bool {
        matches!(self, ItemStatus::Open | ItemStatus::Escalated)
    }

    /// Still to be followed (counts as open at a period's end).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            ItemStatus::Open | ItemStatus::Escalated | ItemStatus::Solved
        )
    }

    /// R4d: the customer's answer on the solution call: satisfied closes the item, not
    /// satisfied reopens it.
    pub fn after_telling(satisfied: bool) -> ItemStatus {
        if satisfied {
            ItemStatus::Closed
        } else {
            ItemStatus::Open
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r4c_only_open_items_are_escalated() {
        assert!(ItemStatus::Open.can_escalate());
        for s in [
            ItemStatus::Answered,
            ItemStatus::Escalated,
            ItemStatus::Solved,
            ItemStatus::Closed,
        ] {
            assert!(!s.can_escalate(), "{s}");
        }
    }

    #[test]
    fn r4d_an_unsatisfied_answer_reopens_the_item() {
        assert_eq!(ItemStatus::after_telling(true), ItemStatus::Closed);
        assert_eq!(ItemStatus::after_telling(false), ItemStatus::Open);
        assert!(
            ItemStatus::Escalated.can_solve()
                && ItemStatus::Open.can_solve()
                && !ItemStatus::Closed.can_solve()
        );
    }
}
