-- A note's pending Yjs updates are those with id > note.doc_state_update_id, and compaction folds
-- everything up to the largest id it can see. That is only safe if no update with a smaller id can
-- still commit after a fold. The column default drew the id BEFORE the guard trigger took its
-- FOR SHARE lock on the note row, so an insert could hold id N while waiting behind a compaction
-- (FOR UPDATE) that folded N+1 and set the boundary past N: row N then committed below the
-- boundary and was never read again (lost text; seen as a rare CI failure of the co-editing test).
--
-- Now the id is drawn inside the trigger, after the lock: an insert holding an id holds the lock, so
-- a compaction waits for it to commit; one waiting for the lock has no id yet and gets one above
-- the boundary. (The default's value, drawn first, is discarded: gaps are harmless.)
CREATE OR REPLACE FUNCTION note_doc_update_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  nid uuid;
  signed timestamptz;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'note_doc_update rows are immutable: UPDATE is not allowed'
      USING HINT = 'Append a new Yjs update instead.';
  END IF;
  IF TG_OP = 'INSERT' THEN
    nid := NEW.note_id;
    SELECT signed_at INTO signed FROM note WHERE id = nid FOR SHARE;
  ELSE
    nid := OLD.note_id;
    SELECT signed_at INTO signed FROM note WHERE id = nid;
  END IF;
  IF signed IS NOT NULL THEN
    RAISE EXCEPTION 'signed note is immutable: % of a document update for note % is not allowed (signed at %)',
      TG_OP, nid, signed
      USING HINT = 'A signed note is never changed; write an addendum instead.';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  NEW.id := nextval(pg_get_serial_sequence('note_doc_update', 'id'));
  RETURN NEW;
END;
$$;
