-- An erased owner's title is gone; the conversation remains for the other participants.
ALTER TABLE conversation_summary ALTER COLUMN title DROP NOT NULL;

-- Timeline rows by sender (erasure) and by time (retention).
CREATE INDEX timeline_message_sender_idx ON timeline_message (sender_id);
CREATE INDEX timeline_message_sent_at_idx ON timeline_message (sent_at) WHERE NOT erased;
