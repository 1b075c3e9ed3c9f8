-- The partner API's rate limit (partner/PartnerRateLimiter): one Bucket4j token bucket per client
-- and limit, shared by every replica. Bucket4j locks a row with SELECT ... FOR UPDATE, reads and
-- writes its serialised state; the key names the client and its limit ("<clientId>|<perSecond>|
-- <burst>"), so a changed limit starts a bucket of its own.
CREATE TABLE rate_limit_buckets (
  id    VARCHAR(128) NOT NULL,
  state BLOB         NULL,
  CONSTRAINT pk_rate_limit_buckets PRIMARY KEY (id)
);
