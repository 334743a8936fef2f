"""The service's routers, one per concern; ``service.app`` includes them."""
