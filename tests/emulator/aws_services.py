"""The registry of emulated AWS services, keyed by SigV4 signing name.

To add a service: write a module with a Service subclass (name, protocol,
OPERATIONS) and list an instance here.
"""

from aws_cloudformation import CloudFormation
from aws_cur import Cur
from aws_data_exports import DataExports
from aws_organizations import Organizations
from aws_s3 import S3
from aws_sts import Sts

SERVICES = {service.name: service for service in (
    Sts(), Organizations(), S3(), Cur(), DataExports(), CloudFormation())}

# Unsigned requests carry no credential scope: JSON services are recognised by
# their X-Amz-Target prefix, S3 by its REST shape (a bucket in the path, or a
# method the query services never use), anything else is answered as STS does.
_BY_TARGET_PREFIX = {service.protocol.target_prefix: service
                     for service in SERVICES.values() if hasattr(service.protocol, "target_prefix")}
DEFAULT_SERVICE = SERVICES["sts"]


def for_request(service_name, request):
    """The service for a signing name, or (unsigned) from the request's shape; None if unknown."""
    if service_name is not None:
        return SERVICES.get(service_name)
    prefix = (request.header("X-Amz-Target") or "").partition(".")[0]
    if prefix:
        return _BY_TARGET_PREFIX.get(prefix, DEFAULT_SERVICE)
    if request.path not in ("", "/") or request.method in ("PUT", "DELETE", "HEAD"):
        return SERVICES["s3"]
    return DEFAULT_SERVICE
