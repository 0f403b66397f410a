-- Debezium's outbox table, as the outbox event router expects it by default ("Basic outbox table" in
-- debezium/debezium documentation/modules/ROOT/pages/transformations/outbox-event-router.adoc,
-- commit 013581962634deea64f0dcc2e6c0b513db2af942). The page gives the table as psql's \d output:
--
--   Column        |          Type          | Modifiers
--   --------------+------------------------+-----------
--   id            | uuid                   | not null
--   aggregatetype | character varying(255) | not null
--   aggregateid   | character varying(255) | not null
--   type          | character varying(255) | not null
--   payload       | jsonb                  |
--
-- and this CREATE TABLE is exactly that table. Debezium's Quarkus extension adds a "timestamp" and a
-- "tracingspancontext" column (debezium-quarkus-outbox/deployment/src/main/java/io/debezium/outbox/quarkus/
-- deployment/OutboxEventHbmWriter.java); the router needs neither, and Recon reads neither.
CREATE TABLE outboxevent (
  id            uuid                   NOT NULL,
  aggregatetype character varying(255) NOT NULL,
  aggregateid   character varying(255) NOT NULL,
  type          character varying(255) NOT NULL,
  payload       jsonb
);

-- The \d output above lists no index. The Quarkus extension maps id as the entity's identifier (OutboxEventHbmWriter
-- createIdAttribute), so Hibernate makes it the primary key; a pgoutput publication also needs a replica identity
-- to publish the DELETE that follows each INSERT.
ALTER TABLE outboxevent ADD PRIMARY KEY (id);
