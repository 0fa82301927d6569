-- A guard against mistakes, not against a superuser (ADR 0013): stored events and the audit chain
-- are append-only, so an UPDATE, DELETE or TRUNCATE of them is refused. Axon's JDBC event store only
-- ever INSERTs into domain_event_entry; snapshot_event_entry is left out on purpose (Axon deletes
-- older snapshots). Anyone who may ALTER TABLE or set session_replication_role can still switch the
-- triggers off: that is what the hash chain itself is for.

CREATE FUNCTION refuse_edit_of_append_only_table() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused (ADR 0013, docs/runbooks/audit-verification-failed.md)',
        TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER domain_event_entry_append_only
    BEFORE UPDATE OR DELETE ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION refuse_edit_of_append_only_table();
CREATE TRIGGER domain_event_entry_no_truncate
    BEFORE TRUNCATE ON domain_event_entry
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_edit_of_append_only_table();

CREATE TRIGGER audit_chain_append_only
    BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION refuse_edit_of_append_only_table();
CREATE TRIGGER audit_chain_no_truncate
    BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_edit_of_append_only_table();

CREATE TRIGGER audit_chain_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON audit_chain_checkpoint
    FOR EACH ROW EXECUTE FUNCTION refuse_edit_of_append_only_table();
CREATE TRIGGER audit_chain_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_chain_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_edit_of_append_only_table();
