-- Spring Modulith's JDBC event publication registry, schema v2, PostgreSQL: the library's DDL verbatim (Apache-2.0).
-- Source: github.com/spring-projects/spring-modulith
--   spring-modulith-events/spring-modulith-events-jdbc/src/main/resources/schemas/v2/schema-postgresql.sql
--   at commit 68e783e8888b70e7dcfb59de244c97a6f7943d99
-- How the registry writes it (JdbcEventPublicationRepositoryV2.java, same module): one row per (event, listener);
-- event_type is the event's Java class name, serialized_event its Jackson JSON, status PUBLISHED when written, then
-- PROCESSING, COMPLETED (with completion_date), FAILED or RESUBMITTED (completion_attempts + 1).
-- Load it into the orders database: the registry writes in the transaction that places the order.
CREATE TABLE IF NOT EXISTS event_publication
(
  id                     UUID NOT NULL,
  listener_id            TEXT NOT NULL,
  event_type             TEXT NOT NULL,
  serialized_event       TEXT NOT NULL,
  publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
  completion_date        TIMESTAMP WITH TIME ZONE,
  status                 TEXT,
  completion_attempts    INT,
  last_resubmission_date TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS event_publication_serialized_event_hash_idx ON event_publication USING hash(serialized_event);
CREATE INDEX IF NOT EXISTS event_publication_by_completion_date_idx ON event_publication (completion_date);
