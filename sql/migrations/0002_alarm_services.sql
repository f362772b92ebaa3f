-- chopin-schema-version 2: alarms of the correlator's Hardware (corrected and fatal hardware
-- errors, e.g. WHEA-Logger memory errors) and System (unexpected shutdowns) services.
ALTER TABLE alarms
  MODIFY service ENUM('RAID','Updates','Heartbeat','Hardware','System') NOT NULL
  COMMENT 'Hardware: corrected/fatal hardware errors; System: unexpected shutdowns';

INSERT INTO schema_version (version, applied_at, description)
VALUES (2, UTC_TIMESTAMP(6), 'alarms for the Hardware and System services');
