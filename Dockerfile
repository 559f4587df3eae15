# A container image with nothing but the static syllabus binary, for CI
# systems other than GitHub Actions and for `docker run`:
#
#   docker run --rm -v "$PWD:/course" --user "$(id -u):$(id -g)" \
#     ghcr.io/syllabus-ssg/syllabus:0.1.0 build
#
# The build context is a folder holding the Linux binaries of a release, as
# `linux-amd64/syllabus` and `linux-arm64/syllabus` (the release workflow
# lays them out so); BuildKit picks the one of the platform being built:
#
#   docker buildx build --platform linux/amd64,linux/arm64 -f Dockerfile CONTEXT
#
# The binaries are statically linked (musl), so the image needs no base: no
# shell, no libc, no Git (pages then have no last-updated date). To run
# syllabus from a shell, copy it into an image of your own:
#   COPY --from=ghcr.io/syllabus-ssg/syllabus:0.1.0 /syllabus /usr/local/bin/
FROM scratch
LABEL org.opencontainers.image.source="https://github.com/syllabus-ssg/syllabus"
LABEL org.opencontainers.image.description="syllabus, a static-site generator for course material"
# Set by BuildKit; the classic builder needs --build-arg TARGETARCH=amd64.
ARG TARGETARCH
# The binary keeps its mode (executable) from the build context.
COPY linux-${TARGETARCH}/syllabus /syllabus
WORKDIR /course
ENTRYPOINT ["/syllabus"]
CMD ["build"]
