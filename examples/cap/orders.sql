-- The shop's orders (the orders database), as an EF Core model maps them: PascalCase quoted names, snowflake
-- ids (19-digit bigints from the same generator CAP uses for its message ids), local times from DateTime.Now in
-- `timestamp` columns. The shop publishes "order.created" through CAP in the transaction that inserts the order
-- (load cap.sql into this database too).
-- A pickup order is collected at the counter and a cancelled one goes nowhere: neither needs a delivery, which
-- recon.yaml says with order.needsDispatch.

CREATE TABLE "Orders" (
    "Id" bigint PRIMARY KEY,
    "CustomerId" bigint NOT NULL,
    "Status" varchar(20) NOT NULL,          -- PLACED, PAID, CANCELLED, COMPLETED
    "Fulfilment" varchar(20) NOT NULL,      -- DELIVERY, PICKUP
    "Total" numeric(12, 2) NOT NULL,
    "CreatedAt" timestamp NOT NULL,
    "UpdatedAt" timestamp NOT NULL
);

-- Recon reads the orders changed since its last cycle by ("UpdatedAt", "Id").
CREATE INDEX "IX_Orders_UpdatedAt_Id" ON "Orders" ("UpdatedAt", "Id");
