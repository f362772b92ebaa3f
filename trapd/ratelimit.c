/* Per-source token buckets, so that one agent's trap storm cannot crowd out the others. */
#include "config.h"

#include "trapd.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	uint8_t key[17]; /* family byte + address */
	double tokens;
	int64_t last_us;
} Bucket;

struct _TrapdRateLimiter {
	double rate;  /* tokens per second */
	double burst; /* bucket size */
	size_t max_sources;
	GHashTable *buckets; /* key bytes -> Bucket */
};

static guint
bucket_hash(gconstpointer key)
{
	const uint8_t *k = key;
	guint h = 2166136261u;
	for (int i = 0; i < 17; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static gboolean
bucket_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, 17) == 0;
}

TrapdRateLimiter *
trapd_rate_limiter_new(double rate, double burst, size_t max_sources)
{
	TrapdRateLimiter *limiter = g_new0(TrapdRateLimiter, 1);
	limiter->rate = rate;
	limiter->burst = burst >= 1.0 ? burst : 1.0;
	limiter->max_sources = max_sources > 0 ? max_sources : 65536;
	limiter->buckets = g_hash_table_new_full(bucket_hash, bucket_equal, NULL, g_free);
	return limiter;
}

static void
limiter_key(const struct sockaddr *address, uint8_t *key)
{
	memset(key, 0, 17);
	key[0] = (uint8_t)address->sa_family;
	if (address->sa_family == AF_INET)
		memcpy(key + 1, &((const struct sockaddr_in *)address)->sin_addr, 4);
	else if (address->sa_family == AF_INET6)
		memcpy(key + 1, &((const struct sockaddr_in6 *)address)->sin6_addr, 16);
}

/* Forgets sources whose buckets are full again: they are indistinguishable from new ones. */
static void
limiter_expire(TrapdRateLimiter *limiter, int64_t now_us)
{
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, limiter->buckets);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Bucket *bucket = value;
		double refill = (double)(now_us - bucket->last_us) / 1e6 * limiter->rate;
		if (bucket->tokens + refill >= limiter->burst)
			g_hash_table_iter_remove(&iter);
	}
}

gboolean
trapd_rate_limiter_allow(TrapdRateLimiter *limiter, const struct sockaddr *address,
			 int64_t now_us)
{
	uint8_t key[17];

	if (limiter->rate <= 0)
		return TRUE;
	limiter_key(address, key);
	Bucket *bucket = g_hash_table_lookup(limiter->buckets, key);
	if (bucket == NULL) {
		if (g_hash_table_size(limiter->buckets) >= limiter->max_sources)
			limiter_expire(limiter, now_us);
		if (g_hash_table_size(limiter->buckets) >= limiter->max_sources)
			return FALSE; /* more distinct sources at full speed than we track */
		bucket = g_new(Bucket, 1);
		memcpy(bucket->key, key, 17);
		bucket->tokens = limiter->burst;
		bucket->last_us = now_us;
		g_hash_table_insert(limiter->buckets, bucket->key, bucket);
	}
	if (now_us > bucket->last_us) {
		bucket->tokens += (double)(now_us - bucket->last_us) / 1e6 * limiter->rate;
		if (bucket->tokens > limiter->burst)
			bucket->tokens = limiter->burst;
		bucket->last_us = now_us;
	}
	if (bucket->tokens < 1.0)
		return FALSE;
	bucket->tokens -= 1.0;
	return TRUE;
}

void
trapd_rate_limiter_free(TrapdRateLimiter *limiter)
{
	if (limiter == NULL)
		return;
	g_hash_table_destroy(limiter->buckets);
	g_free(limiter);
}
