from core.request_context import origin_from_request, reset_origin, set_origin


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(origin_from_request(request))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


class ChineseFirstMiddleware:
    """The portal speaks Chinese unless the person picked English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an
    English system would get English pages. Dropping that header leaves the language cookie
    (set by the switch in the header) or LANGUAGE_CODE (zh-hans). Runs before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
