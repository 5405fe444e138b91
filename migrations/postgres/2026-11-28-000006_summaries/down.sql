DROP INDEX items_store_raised;
DROP INDEX letter_register_summary;
DROP INDEX call_register_summary;
DROP TRIGGER summaries_filed_no_delete ON summaries;
DROP TRIGGER summaries_filed_no_update ON summaries;
DROP FUNCTION aftercare_summary_filed();
DROP TABLE summaries;
