from accounts.request_context import origin_from_request, reset_origin, set_origin


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(origin_from_request(request))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
