"""The service\x27s routers, one per concern; ``service.app`` includes them."""
