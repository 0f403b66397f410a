-- DotNetCore.CAP's PostgreSQL storage, as CAP creates it at start (schema "cap", CAP's default), verbatim from
-- dotnetcore/CAP src/DotNetCore.CAP.PostgreSql/IStorageInitializer.PostgreSql.cs
-- (commit 3c30059310a282e0b852b49c4b5263d21f98512a, PostgreSqlStorageInitializer.CreateDbTablesScript with
-- {schema} = cap). Every CAP service creates both tables in its own database: the shop publishes into
-- "cap"."published", the delivery service records what it consumed in "cap"."received".
-- "Added" is a TIMESTAMP that CAP fills with DateTime.Now: the host's local time, hence databases.*.timeZone.

CREATE SCHEMA IF NOT EXISTS "cap";

CREATE TABLE IF NOT EXISTS "cap"."received"(
	"Id" BIGINT PRIMARY KEY NOT NULL,
    "Version" VARCHAR(20) NOT NULL,
	"Name" VARCHAR(200) NOT NULL,
	"Group" VARCHAR(200) NULL,
	"Content" TEXT NULL,
	"Retries" INT NOT NULL,
	"Added" TIMESTAMP NOT NULL,
    "ExpiresAt" TIMESTAMP NULL,
	"StatusName" VARCHAR(50) NOT NULL
);

CREATE TABLE IF NOT EXISTS "cap"."published"(
	"Id" BIGINT PRIMARY KEY NOT NULL,
    "Version" VARCHAR(20) NOT NULL,
	"Name" VARCHAR(200) NOT NULL,
	"Content" TEXT NULL,
	"Retries" INT NOT NULL,
	"Added" TIMESTAMP NOT NULL,
    "ExpiresAt" TIMESTAMP NULL,
	"StatusName" VARCHAR(50) NOT NULL
);
