# The container test's image: hubml (a wheel of this checkout, without its dependencies)
# on top of the cached test environment (Dockerfile, passed as BASE_IMAGE).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}

USER 0
COPY hubml-*.whl /tmp/
RUN pip install --no-cache-dir --no-deps /tmp/hubml-*.whl && rm /tmp/hubml-*.whl
USER 1000
