from tests.redis_server import throwaway_redis  # noqa: F401  (a fixture)
