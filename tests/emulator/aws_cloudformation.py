"""AWS CloudFormation (awsQuery, 2010-05-15): CreateStack, DescribeStacks,
DescribeStackEvents, DeleteStack. Facts: aws-cfn-sts-sigv4.md §1.1, §2.

Stacks are per account and region. A stack's whole life is scheduled when it is created
(or deleted): a list of events with their times, spread over the stack duration
(--delays normal: 8 s, zero: 0.3 s, /_emulator/timings for more). A request sees the
events whose time has come, so the status moves resource by resource without threads.
A "stack_fail" fault makes the next created stack fail a resource and roll back.
"""

import base64
import binascii
import hashlib
import json
import re
import secrets
import threading
import time
import uuid
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from aws import AwsError, QueryProtocol, QueryService

XMLNS = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
STACK_TYPE = "AWS::CloudFormation::Stack"
EVENTS_PAGE = 10
CAPABILITIES = ("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND")
IAM_TYPES = {"AWS::IAM::AccessKey", "AWS::IAM::Group", "AWS::IAM::InstanceProfile",
             "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User",
             "AWS::IAM::UserToGroupAddition"}
IAM_NAME_PROPERTIES = {"AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName",
                       "AWS::IAM::Group": "GroupName",
                       "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
                       "AWS::IAM::InstanceProfile": "InstanceProfileName"}
# Outcomes whose resources are gone.
GONE = ("ROLLBACK_COMPLETE", "DELETE_COMPLETE", "CREATE_FAILED")


def iso_ms(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + \
        f".{int(seconds * 1000) % 1000:03d}Z"


def validation_error(message):
    return AwsError("ValidationError", message)


def members(params, name):
    """awsQuery lists: Name.member.N(.Field) → [value or {Field: value}] in N order."""
    found = {}
    prefix = f"{name}.member."
    for key, value in params.items():
        if not key.startswith(prefix):
            continue
        index, _, field = key[len(prefix):].partition(".")
        if not index.isdigit():
            continue
        if field:
            found.setdefault(int(index), {})[field] = value
        else:
            found[int(index)] = value
    return [found[i] for i in sorted(found)]


# ------------------------------------------------------------------------- templates

class Resolver:
    """Intrinsic functions of outputs and names: Ref, Fn::GetAtt, Fn::Sub, Fn::Join."""

    def __init__(self, stack):
        self.stack = stack

    def ref(self, name):
        stack = self.stack
        pseudo = {"AWS::AccountId": stack.account, "AWS::Region": stack.region,
                  "AWS::StackName": stack.name, "AWS::StackId": stack.stack_id,
                  "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": ""}
        if name in pseudo:
            return pseudo[name]
        if name in stack.parameters:
            return stack.parameters[name]
        if name in stack.physical_ids:
            return stack.physical_ids[name]
        return ""

    def get_att(self, logical, attribute):
        stack = self.stack
        resource = stack.template.get("Resources", {}).get(logical, {})
        physical = stack.physical_ids.get(logical, "")
        if resource.get("Type") == "AWS::IAM::Role":
            if attribute == "Arn":
                path = resource.get("Properties", {}).get("Path", "/")
                return f"arn:aws:iam::{stack.account}:role{path}{physical}"
            if attribute == "RoleId":
                return "AROA" + hashlib.sha1(physical.encode()).hexdigest()[:17].upper()
        return physical

    def resolve(self, node):
        if isinstance(node, dict) and len(node) == 1:
            (function, arg), = node.items()
            if function == "Ref":
                return self.ref(arg)
            if function == "Fn::GetAtt":
                logical, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
                return self.get_att(logical, self.resolve(attribute))
            if function == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else arg
                return self.sub(text, {k: self.resolve(v) for k, v in variables.items()})
            if function == "Fn::Join":
                separator, items = arg
                return separator.join(str(self.resolve(item)) for item in items)
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        return node

    def sub(self, text, variables):
        def one(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                return self.get_att(*name.split(".", 1))
            return str(self.ref(name))
        return re.sub(r"\$\{([^}]+)\}", one, text)


def parameter_problem(name, spec, value):
    """CloudFormation's message for a parameter value its constraints refuse, or None."""
    described = spec.get("ConstraintDescription")

    def fail(message):
        return f"Parameter {name} failed to satisfy constraint: {described}" if described \
            else message

    if spec.get("Type") == "Number":
        try:
            float(value)
        except ValueError:
            return fail(f"Parameter '{name}' must be a number")
    if "AllowedValues" in spec and value not in [str(v) for v in spec["AllowedValues"]]:
        return fail(f"Parameter '{name}' must be one of AllowedValues")
    if "MinLength" in spec and len(value) < int(spec["MinLength"]):
        return fail(f"Parameter '{name}' must contain at least {spec['MinLength']} characters")
    if "MaxLength" in spec and len(value) > int(spec["MaxLength"]):
        return fail(f"Parameter '{name}' must contain at most {spec['MaxLength']} characters")
    if "AllowedPattern" in spec and not re.fullmatch(spec["AllowedPattern"], value):
        return fail(f"Parameter '{name}' must match pattern {spec['AllowedPattern']}")
    return None


def required_capability(template):
    needed = None
    for resource in template.get("Resources", {}).values():
        kind = resource.get("Type")
        if kind not in IAM_TYPES:
            continue
        needed = needed or "CAPABILITY_IAM"
        name_property = IAM_NAME_PROPERTIES.get(kind)
        if name_property and name_property in resource.get("Properties", {}):
            needed = "CAPABILITY_NAMED_IAM"
    return needed


# ---------------------------------------------------------------------------- stacks

class Stack:
    def __init__(self, account, region, name, template, parameters, capabilities, token,
                 on_failure, tags, now):
        self.account = account
        self.region = region
        self.name = name
        self.stack_id = f"arn:aws:cloudformation:{region}:{account}:stack/{name}/{uuid.uuid4()}"
        self.template = template
        self.parameters = parameters
        self.capabilities = capabilities
        self.token = token
        self.on_failure = on_failure
        self.tags = tags
        self.created = now
        self.deleted = None
        self.events = []
        self.physical_ids = {}
        self.resolver = Resolver(self)
        for logical, resource in template["Resources"].items():
            self.physical_ids[logical] = self.physical_id(logical, resource)

    def physical_id(self, logical, resource):
        name_property = IAM_NAME_PROPERTIES.get(resource.get("Type"))
        properties = resource.get("Properties", {})
        if name_property and name_property in properties:
            name = str(self.resolver.resolve(properties[name_property]))
            if resource["Type"] == "AWS::IAM::ManagedPolicy":
                return f"arn:aws:iam::{self.account}:policy/{name}"
            return name
        return f"{self.name}-{logical}-{secrets.token_hex(6).upper()}"

    def role_names(self):
        return {self.physical_ids[logical] for logical, resource
                in self.template["Resources"].items() if resource.get("Type") == "AWS::IAM::Role"}

    # --------------------------------------------------------------- schedule

    def add_event(self, at, logical, status, reason=None, token=None):
        resource = self.template["Resources"].get(logical)
        is_stack = resource is None
        self.events.append({
            "t": at,
            "seq": len(self.events) + 1,
            "EventId": str(uuid.uuid4()) if is_stack else
            f"{logical}-{status}-{iso_ms(at)}",
            "LogicalResourceId": self.name if is_stack else logical,
            "PhysicalResourceId": self.stack_id if is_stack else
            ("" if status == "CREATE_IN_PROGRESS" and reason is None else
             self.physical_ids[logical]),
            "ResourceType": STACK_TYPE if is_stack else resource["Type"],
            "ResourceStatus": status,
            "ResourceStatusReason": reason,
            "ClientRequestToken": token,
        })

    def schedule_create(self, duration, failure):
        """@failure: None or (logical id, reason)."""
        t0 = self.created
        token = self.token
        logicals = list(self.template["Resources"])
        slot = duration / (len(logicals) + 1)
        self.add_event(t0, None, "CREATE_IN_PROGRESS", "User Initiated", token)
        created = []
        for i, logical in enumerate(logicals):
            start = t0 + slot * (i + 0.3)
            self.add_event(start, logical, "CREATE_IN_PROGRESS", None, token)
            if failure and failure[0] == logical:
                end = t0 + slot * (i + 1)
                self.add_event(end, logical, "CREATE_FAILED", failure[1], token)
                self.schedule_failure(end, t0 + duration, logical, created, token)
                return
            self.add_event(start + slot * 0.2, logical, "CREATE_IN_PROGRESS",
                           "Resource creation Initiated", token)
            self.add_event(t0 + slot * (i + 1), logical, "CREATE_COMPLETE", None, token)
            created.append(logical)
        self.add_event(t0 + duration, None, "CREATE_COMPLETE", None, token)

    def schedule_failure(self, start, end, failed, created, token):
        failed_list = f"The following resource(s) failed to create: [{failed}]."
        if self.on_failure == "DO_NOTHING":
            self.add_event(start + 0.001, None, "CREATE_FAILED", failed_list, token)
            return
        deleting = self.on_failure == "DELETE"
        self.add_event(start + 0.001, None,
                       "DELETE_IN_PROGRESS" if deleting else "ROLLBACK_IN_PROGRESS",
                       failed_list + (" Delete requested by user." if deleting
                                      else " Rollback requested by user."), token)
        steps = [(logical, status) for logical in reversed(created)
                 for status in ("DELETE_IN_PROGRESS", "DELETE_COMPLETE")]
        steps.append((failed, "DELETE_COMPLETE"))
        step = (max(end, start + 0.002) - start) / (len(steps) + 1)
        for i, (logical, status) in enumerate(steps):
            self.add_event(start + step * (i + 1), logical, status, None, token)
        final = "DELETE_COMPLETE" if deleting else "ROLLBACK_COMPLETE"
        self.add_event(max(end, start + 0.002), None, final, None, token)
        if deleting:
            self.deleted = max(end, start + 0.002)

    def schedule_delete(self, now, duration, token):
        # Whatever had not happened yet is cancelled.
        self.events = [event for event in self.events if event["t"] <= now]
        last = {}
        for event in self.events:
            last[event["LogicalResourceId"]] = event["ResourceStatus"]
        standing = [logical for logical in self.template["Resources"]
                    if last.get(logical) in ("CREATE_COMPLETE", "CREATE_IN_PROGRESS")]
        self.add_event(now, None, "DELETE_IN_PROGRESS", "User Initiated", token)
        steps = [(logical, status) for logical in reversed(standing)
                 for status in ("DELETE_IN_PROGRESS", "DELETE_COMPLETE")]
        step = duration / (len(steps) + 1)
        for i, (logical, status) in enumerate(steps):
            self.add_event(now + step * (i + 1), logical, status, None, token)
        self.add_event(now + duration, None, "DELETE_COMPLETE", None, token)
        self.deleted = now + duration

    # ------------------------------------------------------------------ views

    def visible(self, now):
        return [event for event in self.events if event["t"] <= now]

    def status(self, now):
        """(StackStatus, StackStatusReason) at @now."""
        status, reason = None, None
        for event in self.visible(now):
            if event["ResourceType"] == STACK_TYPE and event["PhysicalResourceId"] == self.stack_id:
                status = event["ResourceStatus"]
                reason = event["ResourceStatusReason"] or reason
        if status in ("CREATE_COMPLETE", "CREATE_IN_PROGRESS", "DELETE_COMPLETE"):
            reason = None if status != "CREATE_IN_PROGRESS" else reason
        return status, reason

    def final_status(self):
        return [e for e in self.events if e["ResourceType"] == STACK_TYPE][-1]["ResourceStatus"]

    def is_deleted(self, now):
        return self.deleted is not None and self.deleted <= now

    def outputs(self):
        result = []
        for key, output in self.template.get("Outputs", {}).items():
            item = {"OutputKey": key, "OutputValue": str(self.resolver.resolve(output["Value"]))}
            if "Description" in output:
                item["Description"] = output["Description"]
            if "Export" in output:
                item["ExportName"] = str(self.resolver.resolve(output["Export"].get("Name")))
            result.append(item)
        return result


class CfnState:
    def __init__(self):
        self.lock = threading.RLock()
        self.stacks = []            # every stack ever created, deleted ones included

    def live(self, account, region, name, now):
        for stack in self.stacks:
            if (stack.account, stack.region, stack.name) == (account, region, name) \
                    and not stack.is_deleted(now):
                return stack
        return None

    def find(self, account, region, name_or_id, now):
        if name_or_id.startswith("arn:"):
            for stack in self.stacks:
                if stack.stack_id == name_or_id and stack.account == account \
                        and stack.region == region:
                    return stack
            return None
        return self.live(account, region, name_or_id, now)

    def roles_in_use(self, account, now):
        """IAM role names held by the account's standing stacks (IAM is global)."""
        names = set()
        for stack in self.stacks:
            if stack.account == account and not stack.is_deleted(now) \
                    and stack.final_status() not in GONE:
                names |= stack.role_names()
        return names


# --------------------------------------------------------------------------- service

def element(name, value):
    return f"<{name}>{escape(str(value))}</{name}>" if value is not None else ""


class CloudFormation(QueryService):
    name = "cloudformation"
    protocol = QueryProtocol(XMLNS, "2010-05-15")

    def new_state(self, emulator):
        return CfnState()

    # ------------------------------------------------------------------ template

    def load_template(self, call, params):
        body, url = params.get("TemplateBody"), params.get("TemplateURL")
        if body and url:
            raise validation_error("Specify exactly one of TemplateBody or TemplateUrl.")
        if not body and not url:
            raise validation_error("Either Template URL or Template Body must be specified.")
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise validation_error("TemplateURL must be a supported URL.")
            local = parts.hostname in ("127.0.0.1", "localhost", "::1")
            path = call.emulator.template_file(parts.path) if local else None
            if path is None:
                raise validation_error("TemplateURL must reference a valid S3 object to which "
                                       "you have access.")
            with open(path, encoding="utf-8") as f:
                body = f.read()
        try:
            template = json.loads(body)
        except ValueError:
            template = None
        if not isinstance(template, dict):
            raise validation_error("Template format error: JSON not well-formed.")
        if not isinstance(template.get("Resources"), dict) or not template["Resources"]:
            raise validation_error("Template format error: At least one Resources member must "
                                   "be defined.")
        return template

    def parameters(self, template, params):
        declared = template.get("Parameters", {})
        given = {}
        for member in members(params, "Parameters"):
            if isinstance(member, dict) and "ParameterKey" in member:
                given[member["ParameterKey"]] = member.get("ParameterValue", "")
        unknown = [key for key in given if key not in declared]
        if unknown:
            raise validation_error(f"Parameters: [{', '.join(unknown)}] do not exist in the "
                                   f"template")
        values = {}
        missing = []
        for name, spec in declared.items():
            if name in given:
                values[name] = given[name]
            elif "Default" in spec:
                values[name] = str(spec["Default"])
            else:
                missing.append(name)
        if missing:
            raise validation_error(f"Parameters: [{', '.join(missing)}] must have values")
        for name, value in values.items():
            problem = parameter_problem(name, declared[name], value)
            if problem:
                raise validation_error(problem)
        return values

    # --------------------------------------------------------------- operations

    def create_stack(self, call):
        params = call.params
        name = params.get("StackName")
        if not name:
            raise validation_error("1 validation error detected: Value null at 'stackName' "
                                   "failed to satisfy constraint: Member must not be null")
        if len(name) > 128 or not re.fullmatch(r"[a-zA-Z][-a-zA-Z0-9]*", name):
            raise validation_error(f"1 validation error detected: Value '{name}' at 'stackName' "
                                   f"failed to satisfy constraint: Member must satisfy regular "
                                   f"expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*")
        token = params.get("ClientRequestToken")
        if token is not None and not re.fullmatch(r"[a-zA-Z0-9][-a-zA-Z0-9]*", token) \
                or token is not None and len(token) > 128:
            raise validation_error(f"1 validation error detected: Value '{token}' at "
                                   f"'clientRequestToken' failed to satisfy constraint: Member "
                                   f"must satisfy regular expression pattern: "
                                   f"[a-zA-Z0-9][-a-zA-Z0-9]*")
        on_failure = params.get("OnFailure")
        disable_rollback = params.get("DisableRollback")
        if on_failure and disable_rollback is not None:
            raise validation_error("You cannot specify both DisableRollback and OnFailure.")
        if on_failure and on_failure not in ("DO_NOTHING", "ROLLBACK", "DELETE"):
            raise validation_error(f"1 validation error detected: Value '{on_failure}' at "
                                   f"'onFailure' failed to satisfy constraint: Member must "
                                   f"satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]")
        if not on_failure:
            on_failure = "DO_NOTHING" if disable_rollback == "true" else "ROLLBACK"
        capabilities = members(params, "Capabilities")
        for capability in capabilities:
            if capability not in CAPABILITIES:
                raise validation_error(
                    f"1 validation error detected: Value '[{', '.join(capabilities)}]' at "
                    f"'capabilities' failed to satisfy constraint: Member must satisfy "
                    f"constraint: [Member must satisfy enum value set: "
                    f"[{', '.join(reversed(CAPABILITIES))}]]")
        state = self.state(call.emulator)
        now = time.time()
        with state.lock:
            existing = state.live(call.account, call.region, name, now)
            if existing is not None:
                if token is not None and existing.token == token:
                    # A retried request: the same stack, nothing created twice.
                    return self.created(call, existing)
                raise AwsError("AlreadyExistsException", f"Stack [{name}] already exists")
        template = self.load_template(call, params)
        values = self.parameters(template, params)
        needed = required_capability(template)
        if needed and needed not in capabilities and not (
                needed == "CAPABILITY_IAM" and "CAPABILITY_NAMED_IAM" in capabilities):
            raise AwsError("InsufficientCapabilitiesException",
                           f"Requires capabilities : [{needed}]")
        tags = [tag for tag in members(params, "Tags") if isinstance(tag, dict)]
        with state.lock:
            if state.live(call.account, call.region, name, now) is not None:
                raise AwsError("AlreadyExistsException", f"Stack [{name}] already exists")
            stack = Stack(call.account, call.region, name, template, values, capabilities, token,
                          on_failure, tags, now)
            failure = self.failure_of(call, stack, now)
            stack.schedule_create(call.emulator.delay("stack", stack_name=name), failure)
            state.stacks.append(stack)
        call.emulator.stats.creation("cloudformation:stack")
        return self.created(call, stack)

    def failure_of(self, call, stack, now):
        """(logical id, reason) of the resource this stack will fail on, or None."""
        resources = stack.template["Resources"]
        in_use = self.state(call.emulator).roles_in_use(call.account, now)
        for logical, resource in resources.items():
            if resource.get("Type") == "AWS::IAM::Role" and stack.physical_ids[logical] in in_use:
                return logical, (f"Resource of type 'AWS::IAM::Role' with identifier "
                                 f"'{stack.physical_ids[logical]}' already exists.")
        fault = call.emulator.faults.take(call.operation, kinds=("stack_fail",))
        if fault is None:
            return None
        logical = fault.resource if fault.resource in resources else next(
            (key for key, res in resources.items() if res.get("Type") == "AWS::IAM::Role"),
            next(iter(resources)))
        return logical, fault.reason

    def created(self, call, stack):
        return self.success(call, f"    {element('StackId', stack.stack_id)}\n")

    def find(self, call, name_or_id, message):
        stack = self.state(call.emulator).find(call.account, call.region, name_or_id,
                                               time.time())
        if stack is None:
            raise validation_error(message.format(name_or_id))
        return stack

    def describe_stacks(self, call):
        name = call.params.get("StackName")
        now = time.time()
        state = self.state(call.emulator)
        with state.lock:
            if name:
                stacks = [self.find(call, name, "Stack with id {} does not exist")]
            else:
                stacks = [s for s in state.stacks if s.account == call.account
                          and s.region == call.region and not s.is_deleted(now)]
                stacks.reverse()
            members_xml = "".join(self.stack_xml(stack, now) for stack in stacks)
        return self.success(call, f"    <Stacks>{members_xml}</Stacks>\n")

    def stack_xml(self, stack, now):
        status, reason = stack.status(now)
        parts = ["<member>", element("StackId", stack.stack_id),
                 element("StackName", stack.name),
                 element("Description", stack.template.get("Description")),
                 "<Parameters>"]
        declared = stack.template.get("Parameters", {})
        for key, value in stack.parameters.items():
            shown = "****" if declared.get(key, {}).get("NoEcho") in (True, "true") else value
            parts.append(f"<member>{element('ParameterKey', key)}"
                         f"{element('ParameterValue', shown)}</member>")
        parts.append("</Parameters>")
        parts.append(element("CreationTime", iso_ms(stack.created)))
        if stack.is_deleted(now):
            parts.append(element("DeletionTime", iso_ms(stack.deleted)))
        parts.append(element("StackStatus", status))
        parts.append(element("StackStatusReason", reason))
        parts.append(element("DisableRollback",
                             "true" if stack.on_failure == "DO_NOTHING" else "false"))
        parts.append("<NotificationARNs/>")
        parts.append("<Capabilities>" + "".join(element("member", c) for c in stack.capabilities)
                     + "</Capabilities>")
        if status == "CREATE_COMPLETE":
            parts.append("<Outputs>")
            for output in stack.outputs():
                parts.append("<member>" + "".join(element(k, v) for k, v in output.items())
                             + "</member>")
            parts.append("</Outputs>")
        parts.append("<Tags>" + "".join(
            f"<member>{element('Key', t.get('Key'))}{element('Value', t.get('Value'))}</member>"
            for t in stack.tags) + "</Tags>")
        parts.append(element("EnableTerminationProtection", "false"))
        parts.append("<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus>"
                     "</DriftInformation></member>")
        return "".join(parts)

    def describe_stack_events(self, call):
        name = call.params.get("StackName")
        if not name:
            raise validation_error("1 validation error detected: Value null at 'stackName' "
                                   "failed to satisfy constraint: Member must not be null")
        now = time.time()
        with self.state(call.emulator).lock:
            stack = self.find(call, name, "Stack [{}] does not exist")
            events = list(reversed(stack.visible(now)))
        token = call.params.get("NextToken")
        if token:
            try:
                before = int(base64.urlsafe_b64decode(token.encode()).decode().partition(":")[2])
            except (ValueError, binascii.Error, UnicodeDecodeError):
                raise validation_error("Invalid NextToken")
            events = [event for event in events if event["seq"] < before]
        page, rest = events[:EVENTS_PAGE], events[EVENTS_PAGE:]
        parts = ["    <StackEvents>"]
        for event in page:
            parts.append("<member>" + element("StackId", stack.stack_id)
                         + element("EventId", event["EventId"])
                         + element("StackName", stack.name)
                         + element("LogicalResourceId", event["LogicalResourceId"])
                         + element("PhysicalResourceId", event["PhysicalResourceId"])
                         + element("ResourceType", event["ResourceType"])
                         + element("Timestamp", iso_ms(event["t"]))
                         + element("ResourceStatus", event["ResourceStatus"])
                         + element("ResourceStatusReason", event["ResourceStatusReason"])
                         + element("ClientRequestToken", event["ClientRequestToken"])
                         + "</member>")
        parts.append("</StackEvents>\n")
        if rest:
            next_token = base64.urlsafe_b64encode(f"seq:{page[-1]['seq']}".encode()).decode()
            parts.append(f"    {element('NextToken', next_token)}\n")
        return self.success(call, "".join(parts))

    def delete_stack(self, call):
        name = call.params.get("StackName")
        if not name:
            raise validation_error("1 validation error detected: Value null at 'stackName' "
                                   "failed to satisfy constraint: Member must not be null")
        now = time.time()
        with self.state(call.emulator).lock:
            stack = self.state(call.emulator).find(call.account, call.region, name, now)
            # Deleting a stack that does not exist (any more) succeeds, as at AWS.
            if stack is not None and not stack.is_deleted(now) and \
                    stack.status(now)[0] != "DELETE_IN_PROGRESS":
                duration = call.emulator.delay("stack", stack_name=stack.name) / 2
                stack.schedule_delete(now, duration, call.params.get("ClientRequestToken"))
        return self.success(call, "")

    OPERATIONS = {
        "CreateStack": create_stack,
        "DescribeStacks": describe_stacks,
        "DescribeStackEvents": describe_stack_events,
        "DeleteStack": delete_stack,
    }

    def access_denied(self, call, required):
        return AwsError("AccessDenied", f"User: {call.identity['arn']} is not authorized to "
                                        f"perform: {required}", 403)
