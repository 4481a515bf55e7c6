"""Custom resources: what a CustomResourceDefinition makes the server serve (one
ResourceDef per version), how its objects are defaulted, validated, pruned, converted,
printed and scaled, and how CRDs themselves are validated and move through their
conditions. The CRD controller (:mod:`corral.controllers.crd`) drives the lifecycle.
"""

# The custom-object strategies use the validation package's field-error helpers while that
# package's dispatch imports the strategies: loading it first makes any import order work.
import corral.registry.validation  # noqa: F401
