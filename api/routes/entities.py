"""Routes: entities."""

from fastapi import APIRouter

router = APIRouter()
