"""People and organisations: officials, organisations, memberships and substitutes; role keys; grants and the access policy for tasks."""
