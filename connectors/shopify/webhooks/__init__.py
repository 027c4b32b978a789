"""Shopify webhooks (S3): verified and recorded on arrival, acted on through the job queue."""
